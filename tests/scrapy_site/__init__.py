"""Helpers of the scraping-pipeline tests: a generated site, local servers, and a crawl script."""
