import ImageBuilderConfig
import Testing

/// packer's `{{user}}` and `{{env}}` as the planner evaluates them (byte scanning, any text).
@Suite struct InterpolationTests {
    let users = [
        "name": "ubuntu", "nested": "{{user `name`}}-2404", "loop": "{{user `loop`}}", "accent": "é{{user `name`}}ß",
    ]

    func expand(_ text: String) -> String {
        Interpolation.expand(text, user: { users[$0] }, env: { $0 == "HOME" ? "/home/b" : nil })
    }

    @Test func userAndEnvExpandAndOtherFunctionsStayAsWritten() {
        #expect(expand("plain") == "plain")
        #expect(expand("{{user `name`}}") == "ubuntu")
        #expect(expand("a-{{ user `name` }}-b") == "a-ubuntu-b")
        #expect(expand("{{user \"name\"}}/{{env `HOME`}}") == "ubuntu//home/b")
        #expect(expand("{{user `missing`}}x{{env `NONE`}}") == "x")
        #expect(expand("{{timestamp}} {{isotime \"2006\"}}") == "{{timestamp}} {{isotime \"2006\"}}")
        #expect(expand("{{user `name`") == "{{user `name`")
        #expect(expand("x {{user `name`}} {{ unclosed") == "x ubuntu {{ unclosed")
        #expect(expand("{{{user `name`}}}") == "{{{user `name`}}}")
        #expect(expand("{{user `name}}") == "{{user `name}}")
        #expect(expand("{{user `name`}}{{user `name`}}") == "ubuntuubuntu")
    }

    @Test func nestingFollowsValuesAndStopsAtSixteenLevels() {
        #expect(expand("{{user `nested`}}") == "ubuntu-2404")
        #expect(expand("ü{{user `accent`}}ü") == "üéubuntußü")
        // A variable naming itself ends after 16 expansions with the text left as written.
        #expect(expand("{{user `loop`}}") == "{{user `loop`}}")
        #expect(expand("}}{{") == "}}{{")
    }
}
