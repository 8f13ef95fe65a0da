"""Gene regulation: promoters, TSS activity, bound factors, expression by tissue (bundled data and online tracks)."""
