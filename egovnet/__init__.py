"""egovnet: automation and monitoring for a district e-government extranet (电子政务外网)."""

__version__ = "0.1.0"
