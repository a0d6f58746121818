"""Cost: what a change costs per month, base vs head, and how to spend less (see compute.py for the stage)."""
