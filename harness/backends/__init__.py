"""How a model is reached: the offline model registry, the embedded llama.cpp server's lifecycle, the
OpenAI-compatible client and its retries. Backends know nothing about articles."""
