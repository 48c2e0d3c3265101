/// The few HTML pages the OAuth flow needs (login, consent, form_post, errors): one small template, every value
/// escaped.
enum HTMLPage {
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// A hidden form input.
    static func hidden(_ name: String, _ value: String) -> String {
        "<input type=\"hidden\" name=\"\(escape(name))\" value=\"\(escape(value))\">"
    }

    /// A whole page; `body` is trusted HTML built with ``escape(_:)``.
    static func page(title: String, body: String, autoSubmit: Bool = false) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>\(escape(title)) · Portolan</title>
        <style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1d2733}
        label{display:block;margin:.8rem 0 .2rem}input[type=text],input[type=password]{width:100%;padding:.5rem;box-sizing:border-box}
        button{margin:1rem .5rem 0 0;padding:.5rem 1.2rem}.error{color:#a40000}</style>
        </head><body><h1>\(escape(title))</h1>
        \(body)
        \(autoSubmit ? "<script>document.forms[0].submit()</script>" : "")
        </body></html>
        """
    }
}
