"""The incubator: projects followed from idea to launch as a member coop."""
