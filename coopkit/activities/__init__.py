"""Activities: what members run inside the cooperative, with their members, managers and money."""
