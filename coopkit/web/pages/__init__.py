"""Server-rendered pages for members, staff and incubators."""
