"""fairprocure: screen procurement for the risk of human trafficking, forced and child labour."""

__version__ = "0.1.0"
