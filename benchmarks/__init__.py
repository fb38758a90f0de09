"""Benchmarks of mock-langflow against a bare FastAPI + uvicorn app (see benchmarks/README.md)."""
