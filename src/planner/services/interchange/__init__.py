"""Import and export: file formats, matching records to rows, writing an import."""
