"""Domain objects: plain dataclasses and enums, no I/O."""
