import Paths
import ReviewCore
import Testing

/// Issue 32: the content rules' false-positive patterns on two real documentation histories,
/// each as small Markdown, and the real defects beside them that must still be reported.
@Suite struct PrecisionRuleTests {
    private func hidden(_ text: String) -> [Finding] { HiddenCharacterRule.check(bytes: Array(text.utf8)) }
    private func structure(_ body: String) -> [Finding] { StructureRules.check(body: body, firstLine: 1) }
    private func rules(_ body: String, _ rule: RuleID) -> [Int] { structure(body).filter { $0.rule == rule }.compactMap(\.line) }

    // MARK: hidden-characters

    @Test func aPersianHalfSpaceIsSpellingNotHiding() {
        // می‌توانید: ZWNJ between two Arabic-script letters; and after a Latin letter before a Persian suffix.
        #expect(hidden("شما می\u{200C}توانید از Node.js\u{200C}ها استفاده کنید.\n").isEmpty)
        // A Devanagari conjunct control: ZWJ after a virama.
        #expect(hidden("क्\u{200D}ष\n").isEmpty)
        // Between two Latin letters it is no spelling.
        let latin = hidden("a\u{200C}b\n")
        #expect(latin.count == 1 && latin[0].message.contains("U+200C ZERO WIDTH NON-JOINER at column 2"))
        #expect(!latin[0].message.contains("delete"), "a joiner is never simply deleted: \(latin[0].message)")
    }

    @Test func aJoinerInsideAnEmojiIsPartOfIt() {
        #expect(hidden("Thanks 🏳\u{FE0F}\u{200D}⚧\u{FE0F} and 👩\u{200D}💻!\n").isEmpty)
        #expect(hidden("Thanks 👍🏽\u{200D}👩 too\n").isEmpty)
        #expect(hidden("x\u{200D}💻\n").count == 1)
    }

    @Test func aDirectionMarkBetweenRightToLeftAndLeftToRightProseIsWriting() {
        #expect(hidden("# لوگو Node.js®\u{200E}\n").isEmpty)
        #expect(hidden("لوگوهای Node.js®\u{200E}.\n").isEmpty)
        // Inside a Latin word of a Persian line it is not at a boundary.
        #expect(hidden("از No\u{200E}de.js استفاده\n").count == 1)
        // A line with no right-to-left text needs none.
        #expect(hidden("Get-AdfsCertificate\u{200E} -Thumbprint\n").count == 1)
    }

    @Test func everyOneOfThemInsideCodeIsStillReported() {
        // The LRM inside a code span in a Persian line.
        let span = hidden("از [`child_process.fork()\u{200E}`][] استفاده کنید\n")
        #expect(span.count == 1 && span[0].message.contains("U+200E LEFT-TO-RIGHT MARK at column 26 (inside code)"), "\(span)")
        // A ZWNJ between Persian letters inside a fenced block.
        let fenced = hidden("---\ntitle: a\n---\n\n```sh\necho می\u{200C}توانید\n```\n\nمی\u{200C}توانید\n")
        #expect(fenced.map(\.line) == [6], "\(fenced)")
        #expect(fenced[0].message.contains("inside code") && !fenced[0].message.contains("delete"))
        // The certificate thumbprint pasted with its mark, in an example.
        #expect(hidden("```powershell\nGet-AdfsCertificate -Thumbprint \"\u{200E}fc85ddb0\"\n```\n").map(\.line) == [2])
    }

    @Test func overridesAndZeroWidthSpacesAreReportedEverywhereAndEachIsNamed() {
        #expect(hidden("فارسی \u{202E}abc\u{202C} فارسی\n").count == 1)
        let two = hidden("[اسنپ \u{200B}\u{200B}های Node.js](https://snapcraft.io/node) and a\u{200C}b\n")
        #expect(two.count == 1)
        let message = two.first?.message ?? ""
        #expect(message.contains("U+200B ZERO WIDTH SPACE at column 7") && message.contains("U+200B ZERO WIDTH SPACE at column 8")
                && message.contains("U+200C ZERO WIDTH NON-JOINER") && message.contains("U+200C ZERO WIDTH NON-JOINER"), "\(message)")
        // A zero-width space among Persian letters is a half-space gone wrong: the message says which to write.
        #expect(message.contains("write U+200C"))
        // A byte order mark opening the file is an encoding mark.
        #expect(hidden("\u{FEFF}---\ntitle: a\n").isEmpty)
    }

    // MARK: list-intro-without-list

    @Test func aColonIntroducesMoreThanLists() {
        let introduced = [
            "The format for this parameter is:\n\n```\n-Remove @{Member=value}\n```",  // a code block
            "The format for this parameter is:\n\n`-Remove @{Member=value1,value2}`",  // an inline-code syntax line
            "The key is the GUID of the program to run in this format:\n\n{33333333-4444-4444-1616-161616161616}",
            "Each string must employ one of the following formats:\n\n`{oid}={base64String}`, where `{oid}` is the identifier. It must be valid.",
            "Values:\n\n| a | b |\n|---|---|\n| 1 | 2 |",
            "The advisory reads:\n\n> OpenSSL 1.0.2h fixes two issues.",
            "The pipeline looks like this:\n\n![The pipeline](pipeline.png)",
            "The output of the command is:\n\n<pre>\nnpm ls\n</pre>",
            "Install it with one of these managers:\n\n<!-- markdownlint-disable -->\n\n1. apt\n2. dnf",
            "Specify the instance in one of the following ways:\n\nDomain name values:\n\n- a fully qualified domain name\n- a NetBIOS name",
            "## Risks\n\nThe security advisory lists these issues:\n\n### CVE-2026-1 Buffer overflow\n\nDetails of it.",
            "- Set the option as follows:\n* then run the command\n* and check the result",
            "**Using pkgsrc**:\n\nRun the installer and then check the version it prints.",
            "Syntax:\n\nThe filter grammar is described below in full, with each of its operators.",
            "We will therefore proceed as follows:\n\nFirst, we release the fix for the supported lines. Then we publish the advisory with the details.",
        ]
        for body in introduced {
            #expect(rules(body, .introWithoutList).isEmpty, "\(body)")
        }
    }

    @Test func aLostListIsStillReported() {
        // Items written as paragraphs starting '--'.
        let dashes = structure("The acceptable values for this parameter are:\n\n -- Enabled.\n\n -- Disabled.\n")
        #expect(dashes.map(\.line) == [1] && dashes[0].message.contains("starting '--'"), "\(dashes)")
        // Nothing follows, or the section ends.
        #expect(rules("Those at highest risk include:", .introWithoutList) == [1])
        #expect(rules("## Risk\n\nThose at highest risk include:\n\n## Symptoms\n\nHeadache.", .introWithoutList) == [3])
        // Code written as paragraphs.
        #expect(structure("The policy map looks like this:\n\n{ \"\"name\"\": \"\"a\"\" }").first?.message.contains("fenced code block") == true)
    }

    // MARK: repeated-text

    @Test func repeatsThatAreMeantAreNotReported() {
        let platyPS = """
            ## PARAMETERS

            ### -Name
            Specifies the name of the certificate that this cmdlet gets from the store.

            ```yaml
            Type: String
            Required: False
            ```

            ### -Thumbprint
            Specifies the name of the certificate that this cmdlet gets from the store.

            ```yaml
            Type: String
            Required: False
            ```
            """
        #expect(rules(platyPS, .repeatedText).isEmpty)
        let changelog = """
            ### Notable Changes

            - [`abc1234`] - **deps**: update V8 to 12.4 and adjust the build for it (Someone)

            ### Commits

            - [`abc1234`] - **deps**: update V8 to 12.4 and adjust the build for it (Someone)
            """
        #expect(rules(changelog, .repeatedText).isEmpty)
        #expect(rules("## Example\n\nShort line here.\n\nShort line here.", .repeatedText).isEmpty)
        // Parallel wording twice in one paragraph is meant; a third time is a copy.
        let consequence = "Specifying any other value for this parameter results in an error."
        #expect(rules("If it is A, use A. \(consequence) If it is B, use B. \(consequence)", .repeatedText).isEmpty)
        #expect(rules("If it is A, use A. \(consequence) \(consequence) \(consequence)", .repeatedText) == [1])
        // Items written as paragraphs, and quoted messages opening with code, are not prose.
        #expect(rules("## OUTPUTS\n\n -- The host name of the client computer that connected.\n\n -- The same host name of the client computer that connected.\n\n -- The host name of the client computer that connected.", .repeatedText).isEmpty)
        #expect(rules("`The DHCP server is gone. Failed to initiate the authorization check on the DHCP server.`\n\n`Failed to initiate the authorization check on the DHCP server.`", .repeatedText).isEmpty)
    }

    @Test func aParagraphRepeatedInItsSectionOrFromTheIntroductionIsReported() {
        let sentence = "Every example ends with a stray copy of its own first explanatory sentence."
        #expect(rules("### Example 1\n\n\(sentence) More.\n\nThe command.\n\n\(sentence)", .repeatedText) == [7])
        #expect(rules("\(sentence)\n\n## Who attends\n\n\(sentence)", .repeatedText) == [5])
    }

    // MARK: heading-structure

    @Test func levelsAreCheckedFromTheFirstHeading() {
        #expect(rules("### Notable changes\n\nText.\n\n### Commits\n\nMore.", .headingStructure).isEmpty)
        #expect(rules("### Notable changes\n\nText.\n\n##### Commits\n\nMore.", .headingStructure) == [5])
    }

    @Test func aTemplatesEmptySectionsAreJudgedByThePolicy() {
        let page = """
            # Get-Thing

            ## SYNOPSIS
            Gets a thing.

            ## INPUTS

            ### None

            ## OUTPUTS

            ### Microsoft.Management.Infrastructure.CimInstance

            ### System.String

            ## NOTES

            ## RELATED LINKS
            """
        let body = BodyText(MarkdownParser.parse(page))
        let sections = HeadingStructureRule.emptySections(body, firstLine: 1)
        #expect(sections.map(\.heading) == ["None", "Microsoft.Management.Infrastructure.CimInstance", "System.String", "NOTES", "RELATED LINKS"])
        let platyPS = Policy.Headings(mayBeEmpty: ["NOTES", "related links"], contentUnder: ["INPUTS", "OUTPUTS:"])
        #expect(sections.compactMap { EmptySectionRule.message($0, headings: platyPS) }.isEmpty)
        // Without the policy each is reported; with it, an empty INPUTS is told what to add.
        #expect(sections.compactMap { EmptySectionRule.message($0, headings: Policy.Headings()) }.count == 5)
        let empty = HeadingStructureRule.emptySections(BodyText(MarkdownParser.parse("## INPUTS\n\n## OUTPUTS\n\n### None")), firstLine: 1)
        #expect(empty.compactMap { EmptySectionRule.message($0, headings: platyPS) } == ["the section 'INPUTS' is empty; add a heading naming what it holds ('### None' if nothing)"])
        // Sub-sections left at their parent's level.
        let flat = HeadingStructureRule.emptySections(BodyText(MarkdownParser.parse("### Commits in 12.0.0\n\n### Semver-Major Commits\n\nText.")), firstLine: 1)
        #expect(flat.compactMap { EmptySectionRule.message($0, headings: Policy.Headings()) }.first?.contains("make them level 4") == true)
        // An empty entry among entries with text is one entry without its text, not a parent.
        let entries = HeadingStructureRule.emptySections(BodyText(MarkdownParser.parse("## Cmdlets\n\n### Get-A\n\nGets A.\n\n### Remove-A\n\n### Set-A\n\nSets A.")), firstLine: 1)
        #expect(entries.compactMap { EmptySectionRule.message($0, headings: Policy.Headings()) }.first?.contains("write it, or remove the heading") == true)
    }

    // MARK: run-in-question

    @Test func questionsAreProseOutsideQuestionsAndAnswers() {
        #expect(rules("- What should we do next? Discuss it at the summit.\n- Who owns it? The team.", .runInQuestion).isEmpty)
        #expect(rules("Why do we care? Because pride matters. It is our community.", .runInQuestion).isEmpty)
        // An FAQ: question headings, and one question run into its answer.
        let faq = rules("## What is PML?\n\nA disease.\n\n## Who gets it?\n\nPeople with HIV.\n\nIs it common? No. It is rare.", .runInQuestion)
        #expect(faq == [9])
        // One question heading is a post with a hook, not an FAQ.
        #expect(rules("## What is PML?\n\nA disease.\n\nIs it common? No. It is rare.", .runInQuestion).isEmpty)
        #expect(structure("## What is PML?\n\n## Who gets it?\n\nIs it common? No.").first?.message.contains("(1 more sentence follows)") == true)
    }

    // MARK: front matter

    @Test func aBrokenFrontMatterKeepsItsPathsCategory() {
        var mapping = FrontMatterMapping()
        mapping.categoriesByPath = [(Glob("docset/**"), "reference")]
        let text = "---\ndescription line without a key\ntitle: [\n---\n\nBody.\n"
        let (article, findings) = ArticleParser.parse(path: "docset/a/set-thing.md", bytes: Array(text.utf8), frontMatter: mapping)
        #expect(article.category == "reference")
        #expect(findings.filter { $0.rule == .invalidFrontMatter }.count == 1, "\(findings)")
    }

    @Test func theReaderTextIgnoresWhatReadersCannotSee() {
        let before = ArticleParser.readerText(Array("---\ntitle: A\nms.date: 01/01/2020\n---\n\nThe virus stays dormant. See [it](a.md).\n".utf8))
        let after = ArticleParser.readerText(Array("---\ntitle: A\nms.date: 01/01/2020\nlocale: en-us\n---\n\nThe virus  stays\ndormant! See [it](https://x.org/a).\n".utf8))
        #expect(before != nil && before == after)
        #expect(before != ArticleParser.readerText(Array("---\ntitle: B\n---\n\nThe virus stays dormant. See [it](a.md).\n".utf8)))
        #expect(before != ArticleParser.readerText(Array("---\ntitle: A\n---\n\nThe virus stays latent. See [it](a.md).\n".utf8)))
        // A negation contracted or spelt out reads the same; any other word does not.
        func text(_ body: String) -> String? { ArticleParser.readerText(Array("---\ntitle: A\n---\n\n\(body)\n".utf8)) }
        let spelt = text("Do not drive. It cannot wait, will not stop, shall not pass; it does not.")
        #expect(spelt == text("Don't drive. It can't wait, won't stop, shan't pass; it doesn\u{2019}t."))
        #expect(spelt == text("DON'T drive. It Can't wait, WON'T stop, shan\u{2019}t pass; it doesn't."))
        #expect(spelt != text("Do drive. It can wait, will stop, shall pass; it does."))
        #expect(text("It's fine.") != text("It is fine."))
        #expect(text("Don'ts and dos.") == text("Don'ts and dos."))
        #expect(text("`don't`") != text("`do not`"))  // code is compared as written
    }

    /// The reader's text is the lowercased letters and digits by Unicode's definition; ASCII
    /// text takes a shortcut that must give the same letters as that definition does.
    @Test func theReaderTextKeepsLettersAndDigitsByUnicodesDefinition() {
        func reference(_ text: String) -> String {
            String(String.UnicodeScalarView(text.lowercased().unicodeScalars.filter { $0.properties.isAlphabetic || $0.properties.numericType != nil }))
        }
        let ascii = String(decoding: (0x20...0x7E).map { UInt8($0) }.filter { ![0x5C, 0x60, 0x2A, 0x5F, 0x3C, 0x5B, 0x23, 0x26].contains($0) }, as: UTF8.self)
        for text in [ascii, "Take 2 TABLETS daily, Max 8.", "Straße ÉCOLE ½ Ⅻ ٣ İstanbul", "Dose: 5 mg (ΣΟΦΊΑ)", "ΟΔΟΣ ΚΑΙ ΟΔΟΣ.", "ǅemal ﬁle ẞ"] {
            #expect(ArticleParser.readerText(Array("---\n---\n\n\(text)\n".utf8)) == "\u{1}\u{1}" + reference(text), "\(text)")
        }
    }

    /// Housekeeping labelled "not a change" on windows-powershell-docs: an unfilled placeholder
    /// removed, a prompt dropped from an example, a bare address swapped, a type heading split in
    /// two. Each leaves the reader's text equal; a real edit beside each does not.
    @Test func templateHousekeepingIsNotAChangeReadersSee() {
        func text(_ body: String) -> String? { ArticleParser.readerText(Array("---\ntitle: A\n---\n\n\(body)".utf8)) }
        let base = "# Get-Thing\n\n## SYNOPSIS\nGets a thing.\n\n## EXAMPLES\n\n```powershell\nGet-Thing -Name x\n```\n\nSee https://docs.example.com/a.\n"
        let housekept = "# Get-Thing\n\n## SYNOPSIS\nGets a thing. {{ Fill in the Synopsis }}\n\n## EXAMPLES\n\n```powershell\nPS C:\\> Get-Thing -Name x\n```\n\n"
            + "See https://learn.example.com/a.\n"
        #expect(text(base) != nil && text(base) == text(housekept))
        // Each housekeeping kind alone, with a real change beside it, is still a change.
        #expect(text(base) != text(housekept.replacingOccurrences(of: "Gets a thing.", with: "Gets two things.")))
        #expect(text(base) != text(housekept.replacingOccurrences(of: "-Name x", with: "-Name y")))
        #expect(text(base) != text(housekept + "\nA note readers need.\n"))
        // A type heading split in two is the same text; a heading added is a change.
        #expect(text(base + "## INPUTS\n\n### System.Guid, System.String\n\nThe id.\n")
                == text(base + "## INPUTS\n\n### System.Guid\n\n### System.String\n\nThe id.\n"))
        #expect(text(base) != text(base + "\n## NOTES\n"))
        // A link whose text is not its address is text.
        #expect(text(base) != text(base.replacingOccurrences(of: "See https://docs.example.com/a.", with: "See [the guide](https://docs.example.com/a).")))
    }

    /// `unfilled-placeholder` (blocking) fired on every MDX style object on nodejs.org
    /// (`style={{ display: 'inline' }}`, 33 blocking findings, none real); PlatyPS's
    /// `{{ Fill X Description }}` on windows-powershell-docs is what it is for.
    @Test func aPlaceholderIsWordsNotCode() {
        #expect(UnfilledPlaceholderRule.placeholder(in: "Gets it. {{ Fill Name Description }}") == "{{ Fill Name Description }}")
        #expect(UnfilledPlaceholderRule.placeholder(in: "{{Add example description here}}") == "{{Add example description here}}")
        #expect(UnfilledPlaceholderRule.placeholder(in: "style={{ display: 'inline-flex' }}") == nil)
        #expect(UnfilledPlaceholderRule.placeholder(in: "{{< figure src=\"a.png\" >}}") == nil)
        #expect(UnfilledPlaceholderRule.placeholder(in: "{{ 12 }} and {{ }}") == nil)
        // A style object first does not hide a placeholder after it.
        #expect(UnfilledPlaceholderRule.placeholder(in: "style={{ a: 1 }} then {{ Fill Id Description }}") == "{{ Fill Id Description }}")
        let findings = UnfilledPlaceholderRule.check(BodyText(MarkdownParser.parse("<img style={{ display: 'inline' }} />\n\nText {{ Fill in the Synopsis }}\n")), firstLine: 1)
        #expect(findings.map(\.line) == [3], "\(findings)")
    }
    /// Sections moved whole among their siblings read the same; anything else moved does not.
    @Test func sectionsMovedWholeReadTheSame() {
        func view(_ body: String) -> ReaderView { ArticleParser.readerView(Array("---\ntitle: A\n---\n\n\(body)\n".utf8))! }
        let page = view("Intro.\n\n# Usage\n\n## -Force\n\nOverwrites.\n\n## -Path\n\nWhere.\n\n# Notes\n\nNone.")
        #expect(page.readsTheSame(as: view("Intro.\n\n# Usage\n\n## -Path\n\nWhere.\n\n## -Force\n\nOverwrites.\n\n# Notes\n\nNone.")))
        #expect(page.readsTheSame(as: view("Intro.\n\n# Notes\n\nNone.\n\n# Usage\n\n## -Force\n\nOverwrites.\n\n## -Path\n\nWhere.")))
        #expect(page.readsTheSame(as: view("Intro.\n\nUsage\n=====\n\n## -Force\n\nOverwrites.\n\n## -Path\n\nWhere.\n\n# Notes\n\nNone.")))
        for other in [
            "Intro.\n\n# Usage\n\n## -Force\n\nOverwrites.\n\n# Notes\n\n## -Path\n\nWhere.\n\nNone.",  // under another parent
            "Intro.\n\n# Usage\n\n## -Force\n\nOverwrites.\n\n# Notes\n\nNone.\n\n## -Path\n\nWhere.",  // likewise
            "# Usage\n\nIntro.\n\n## -Force\n\nOverwrites.\n\n## -Path\n\nWhere.\n\n# Notes\n\nNone.",  // text before the first heading moved
            "Intro.\n\n# Usage\n\n## -Force\n\nWhere.\n\n## -Path\n\nOverwrites.\n\n# Notes\n\nNone.",  // paragraphs swapped
            "Intro.\n\n# Usage\n\n## -Force\n\nOverwrites.\n\n## -Path\n\nWhere.\n\n# Notes\n\nNone yet.",  // a word
        ] {
            #expect(!page.readsTheSame(as: view(other)), "\(other)")
        }
        #expect(ReaderView.same(nil, nil) && !ReaderView.same(page, nil) && ReaderView.same(page, page))
    }

    /// A merge's version that takes each hunk from one parent has no line of its own
    /// (`git diff --cc` is empty); one with a line of its own, or without a passage every
    /// parent had, does not.
    @Test func aMergeTakingEachHunkFromAParentWroteNothing() {
        func lines(_ text: String) -> [UInt8] { Array(text.utf8) }
        let ours = lines("title\nfirst, reflowed\nsame\nsecond\nend\n")
        let theirs = lines("title\nfirst\nsame\nsecond, reworded\nend\n")
        let clean = lines("title\nfirst, reflowed\nsame\nsecond, reworded\nend\n")
        #expect(MergeLines.takesEveryLineFromAParent(result: clean, parents: [ours, theirs]) == true)
        #expect(MergeLines.takesEveryLineFromAParent(result: ours, parents: [ours, theirs]) == true)
        #expect(MergeLines.takesEveryLineFromAParent(result: lines("title\nfirst, reflowed\nsame\nsecond, mine\nend\n"), parents: [ours, theirs]) == false)
        #expect(MergeLines.takesEveryLineFromAParent(result: lines("title\nfirst, reflowed\nsecond, reworded\nend\n"), parents: [ours, theirs]) == false)
        #expect(MergeLines.takesEveryLineFromAParent(result: lines("title\nsame\nsecond\nend\n"), parents: [ours, theirs]) == false)
    }
}
