"""The OpenSearch engine: the same Akhbar search on a cluster (``--engine opensearch``)."""
from search.engines.opensearch.engine import OpenSearchEngine

__all__ = ["OpenSearchEngine"]
