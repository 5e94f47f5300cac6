"""The LLM vendor edge: the Anthropic Messages API behind the analysis MessagesPort."""
