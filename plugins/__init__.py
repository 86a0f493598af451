"""Jurisdiction rule packs (provinces, cities), registered through the entry-point group
``nianbao`` exactly like any third-party plugin. None ships yet."""
