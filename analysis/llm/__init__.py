"""The LLM reviewer: context packing, the tool schema, verification. Pure: the Messages API
is reached only through `analysis.llm.port.MessagesPort`, implemented in `ingestion/llm/`."""
