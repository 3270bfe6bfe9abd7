"""Tags survive an import: Moodle XML's <tags> and <coursetags>, GIFT's `// [tag:…]` comments,
and category paths read as Moodle writes them (`$module$` a root, `//` a slash in a name)."""

from assessments.formats import gift, moodle_xml

XML = """<?xml version="1.0" encoding="UTF-8"?>
<quiz>
<!-- question: 0  -->
  <question type="category">
    <category>
      <text>$module$/top/默认类别//测验 1/反洗钱</text>
    </category>
    <info format="moodle_auto_format">
      <text>The default category for questions shared in context '测验 1'.</text>
    </info>
    <idnumber></idnumber>
  </question>

<!-- question: 21  -->
  <question type="truefalse">
    <name>
      <text>可疑交易</text>
    </name>
    <questiontext format="html">
      <text><![CDATA[<p dir="ltr" style="text-align: left;">可疑交易应当在发现后及时报告。</p>]]></text>
    </questiontext>
    <generalfeedback format="html">
      <text></text>
    </generalfeedback>
    <defaultgrade>1.0000000</defaultgrade>
    <penalty>1.0000000</penalty>
    <hidden>0</hidden>
    <idnumber>AML-21</idnumber>
    <answer fraction="100" format="moodle_auto_format">
      <text>true</text>
      <feedback format="html">
        <text></text>
      </feedback>
    </answer>
    <answer fraction="0" format="moodle_auto_format">
      <text>false</text>
      <feedback format="html">
        <text></text>
      </feedback>
    </answer>
    <tags>
      <tag><text>反洗钱</text>
      </tag>
      <tag><text>报告义务</text>
      </tag>
    </tags>
    <coursetags>
      <tag><text>2026年度培训</text>
      </tag>
    </coursetags>
  </question>

</quiz>
"""

GIFT = """// question: 0  name: Switch category to $course$/top/合规//风控/案例
$CATEGORY: $course$/top/合规//风控/案例


// question: 31  name: 报告对象
// [id:RISK-31]
// [tag:风险报告]
// [tag:必考]
::报告对象::[html]<p>发现重大风险应当向谁报告？</p>{
\t=<p>合规负责人</p>
\t~<p>客户</p>
}


// question: 32  name: 斜杠\\/不是分隔
::斜杠::合规 // 风控：路径中的双斜杠不是注释。{TRUE}
"""


def test_moodle_xml_tags_course_tags_and_the_category_path_become_tags():
    question = moodle_xml.parse(XML.encode()).questions[0]
    assert question.tags == ["默认类别/测验 1", "反洗钱", "报告义务", "2026年度培训"]
    assert question.idnumber == "AML-21"


def test_gift_tag_comments_id_numbers_and_an_escaped_slash_in_the_category():
    result = gift.parse(GIFT.encode())
    assert not result.errors, result.errors
    first, second = result.questions
    assert first.tags == ["合规/风控", "案例", "风险报告", "必考"]
    assert first.idnumber == "RISK-31" and first.name == "报告对象"
    assert first.options == ["合规负责人", "客户"]
    assert second.stem == "合规 // 风控：路径中的双斜杠不是注释。"
    assert second.tags == ["合规/风控", "案例"]
