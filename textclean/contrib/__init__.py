"""Integrations with other frameworks, each behind its own extra (``pip install 'textclean[scrapy]'``).

Nothing here is imported by ``import textclean``; import the integration you use, e.g.
``textclean.contrib.scrapy``.
"""
