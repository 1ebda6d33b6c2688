"""Typed, task-shaped access to Fourthwall and ShipBob, built on the generated clients."""

__all__: list[str] = []
