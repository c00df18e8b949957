"""FRRouting support: the NAPALM driver (SSH into vtysh) and its device-side agent."""
