"""HTML forms parsed generically, for the scripts that play a browser against Portolan's pages (the eduVPN client
test driver and the benchmark's token minting): every <form> with its method, action, <input>s and <button>s,
whatever the attribute order."""
import html.parser


class FormParser(html.parser.HTMLParser):
    """Collects every <form> with its method, action, <input>s and named <button>s (attribute order free)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._current = None

    def handle_starttag(self, tag, attrs):
        attributes = {name.lower(): (value if value is not None else "") for name, value in attrs}
        if tag == "form":
            self._current = {
                "method": attributes.get("method", "get").lower(),
                "action": attributes.get("action", ""),
                "inputs": [],
                "buttons": [],
            }
            self.forms.append(self._current)
        elif tag == "input" and self._current is not None:
            self._current["inputs"].append(
                {
                    "name": attributes.get("name", ""),
                    "value": attributes.get("value", ""),
                    "type": attributes.get("type", "text").lower(),
                }
            )
        elif tag == "button" and self._current is not None:
            self._current["buttons"].append(
                {
                    "name": attributes.get("name", ""),
                    "value": attributes.get("value", ""),
                    "type": attributes.get("type", "submit").lower(),
                }
            )

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def parse_forms(text):
    parser = FormParser()
    parser.feed(text)
    parser.close()
    return parser.forms
