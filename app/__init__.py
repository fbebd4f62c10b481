"""TierDesk: a desktop service desk for tiered IT support (L1, L2, L3, vendor)."""

__version__ = "0.1.0"
