"""Build configuration beyond pyproject.toml: textclean's optional C kernels (textclean/_native.c).

``optional=True``: where the extension cannot be built (no C compiler, no Python headers), the install
goes on without it and textclean runs its pure-Python reference of each kernel (same results, slower).
"""

from setuptools import Extension, setup

setup(ext_modules=[Extension("textclean._native", ["textclean/_native.c"], optional=True)])
