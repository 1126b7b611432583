"""Test support shared by the test folders (upstream artifacts, real components)."""
