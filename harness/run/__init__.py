"""The run of a job: one document through the model (``extract``), many documents with concurrency and
resume (``jobs``), the response cache, and the durable results and manifest a run folder holds."""
