"""Unit tests of the IR: its builder, naming and what it reads from the runtime."""
