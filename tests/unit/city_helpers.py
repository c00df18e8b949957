"""Generated cities (inventory/sample_city.py) for the scale tests, written and loaded once
per test session and removed at exit."""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from pathlib import Path

from inventory.catalog import Inventory
from inventory.loader import load_inventory
from inventory.sample_city import CityShape, write_city

#: Two districts of four towns with 2-5 villages each: the city's structure at a size the
#: per-scenario reference algorithm still checks in a few seconds.
SMALL = CityShape(districts=2, towns=4, subdistricts=1, villages=(2, 5))


@functools.cache
def city_dir(shape: CityShape) -> Path:
    out = Path(tempfile.mkdtemp(prefix=f"egovnet-city{shape.districts}-"))
    atexit.register(shutil.rmtree, out, ignore_errors=True)
    write_city(out, shape)
    return out


@functools.cache
def city_inventory(shape: CityShape) -> Inventory:
    return load_inventory(city_dir(shape))
