def broken(:
    x = "unterminated
  class	Bad(:
		pass
)))]]
