from __future__ import annotations
import os.path, sys as system
from . import helpers
from ..util import (a, b as c)
from pkg.mod import *

X = f"{os.sep!r:>{10}} {'nested'} {{literal}}"
Y = rb'\d' + b"\x00"
Z = """multi
line"""; W = '''other'''

@decorator(arg=lambda x: x)
@other.attr
class Outer(Base, metaclass=Meta):
    """Doc."""
    attr: int = 1

    class Inner:
        def method(self, *args, **kw) -> None:
            def local():
                return [i for i in range(3)]
            return local

    @property
    async def prop(self):
        async with lock:
            await thing()

def top(a, b=(1, 2), /, c=3, *, d):
    if a:
        pass
    else: return \
        b

if __name__ == "__main__":
    top(1, d=2)
