"""The inbox: who to talk to today, why, and what to say."""
