"""The one generic spider; per-outlet knowledge is data (the sources file)."""
