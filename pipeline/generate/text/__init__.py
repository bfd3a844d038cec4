"""Text composition for generated inquiries: slot values, message plans, channel styles, noise."""
