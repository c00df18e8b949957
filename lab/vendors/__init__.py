"""Emulated Huawei VRP (VRP5, VRP8) and H3C Comware 7 devices over SSH, on fakenos.

``server.EmulatedDevice(spec, address, port)`` starts one; see docs/vendor-emulation.md for
what they do and where they are less than the real devices.
"""
