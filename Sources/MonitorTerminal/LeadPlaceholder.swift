// Placeholder so the package loads until the terminal target lands (lead).
