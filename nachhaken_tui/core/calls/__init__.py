"""What surrounds a call: blocks of calls, closing the loop, tel: and mailto: links."""
