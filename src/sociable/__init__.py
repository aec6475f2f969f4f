"""Sociable: turn social media back into conversations, and prove the result."""
