"""Language processing: the spaCy pipelines, pre-annotation, claim suggestions, normalised values,
the knowledge base and language detection. Importing the package loads nothing heavy."""
