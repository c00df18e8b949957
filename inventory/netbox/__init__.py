"""The inventory in NetBox and back: ``egovnet inventory netbox push|pull`` (see mapping.py)."""
