"""supportgraph: the Microsoft 365 business-support documentation as a knowledge graph."""

from supportgraph.errors import SupportGraphError

__all__ = ["SupportGraphError"]
__version__ = "0.1.0"
