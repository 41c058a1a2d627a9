"""Videos and who may do what with them."""
