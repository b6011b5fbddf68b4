/// A `multipart/form-data` body of text fields, in the order given.
struct MultipartForm {
    let boundary: String
    let body: [UInt8]

    init(fields: [(String, String)]) {
        boundary = "image-builder-" + MAASCredentials.nonce()
        var text = ""
        for (name, value) in fields {
            text += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        text += "--\(boundary)--\r\n"
        body = Array(text.utf8)
    }

    var contentType: String { "multipart/form-data; boundary=\(boundary)" }
}
