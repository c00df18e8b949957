"""Lets ``napalm.get_network_driver("frr")`` find egovnet's FRR driver.

NAPALM looks a driver name up as the module ``napalm_<name>``; the driver itself lives in
:mod:`automation.frr.driver`.
"""

from automation.frr.driver import FrrDriver

__all__ = ["FrrDriver"]
