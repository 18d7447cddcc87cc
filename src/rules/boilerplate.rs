//! `boilerplate`: page furniture — the parts of a scraped page that belong to the web site, not
//! to the text.
//!
//! What it removes:
//!
//! - **trailing sections**: a heading such as 参考资料, 随机推荐, 相关阅读, 猜你喜欢, 延伸阅读,
//!   大家都在看, `Related articles`, `You may also like` (or a user `cut_after` pattern) and
//!   everything after it, when what follows to the end of the document is short or link-like
//!   (blank lines, short titles, URLs, more headings, more furniture);
//! - **furniture lines**, one line at a time: previous/next links (`上一篇：…`), bylines
//!   (`责任编辑：张三`, `来源：新华网`, `发布时间：2020-01-01`, `作者：… 来源：… 时间：…`),
//!   breadcrumbs (`当前位置：首页 > 新闻 > 正文`), share bars (`分享到：微信 微博 QQ空间`),
//!   QR-code prompts (`扫一扫，关注我们`), copyright and licence lines (`Copyright © 2020 …`,
//!   `京ICP备12345678号`, `京公网安备 11010502030000号`), short disclaimers (`本文来源于网络，
//!   如有侵权请联系删除`), navigation bars (`首页 | 新闻 | 体育 | 联系我们`), read-more prompts
//!   (`展开全文`, `打开APP阅读全文`, `返回搜狐，查看更多`) and counters (`阅读 1234`,
//!   `点赞 收藏 评论`), plus lines matching a user `drop` pattern;
//! - **watermarks** inside lines: the same site name or domain (`（来源：xx网）`,
//!   `www.example.com`, `本文来自xx网`) pasted into the text again and again.
//!
//! Before → after (the end of a scraped news page; `·` marks a blank line):
//!
//! ```text
//! 一面面旗帜高高飘扬，焕发出战胜疫情的磅礴斗志      一面面旗帜高高飘扬，焕发出战胜疫情的磅礴斗志
//! 责任编辑：张三                               →
//! ·
//! 参考资料
//! ·
//! 随机推荐
//! 东营：党旗在一线高高飘扬
//! 分享到：微信 微博 QQ空间
//! ```
//!
//! and inside a line, once `www.dyxw.com` has turned up three times in the document:
//!
//! ```text
//! 东营市委www.dyxw.com召开会议。     →     东营市委召开会议。
//! ```
//!
//! What it leaves alone: anything long, and anything that merely *mentions* a furniture word.
//! Every check but the user's patterns and the watermark scan looks only at short lines
//! ([`MAX_FURNITURE_CHARS`], or [`MAX_FOOTER_CHARS`] for copyright and licence lines) and is
//! anchored to the whole line, so `他在文章末尾列出了参考资料，供读者进一步阅读。` and
//! `本书版权所有者是作者本人，转载须经许可。` stay. A trailing heading followed by a real
//! paragraph is kept with everything after it. Deliberate choices on the ambiguous cases:
//!
//! - `参考文献` is **not** a built-in heading: in a paper the citations after it are content.
//!   (`参考资料` is: on the pages this tool cleans it heads a list of links.) Add
//!   `cut_after = ['^参考文献$']` to the config to treat it like 参考资料.
//! - `(完)` / `（完）` stays: in news it is part of the article.
//! - SEO title lines (`山东省东营市疫情最新消息……`) stay: they cannot be told apart from real
//!   headlines, and they carry the topic.
//! - `原标题：…`, `作者：李白`, `时间：2020年1月23日`, `记者 张三` stay: alone they are
//!   content as often as furniture. `作者：`/`时间：` go only as part of a multi-field byline.
//! - Navigation bars need `|`-like separators and a navigation word (首页, 联系我们, …); a
//!   table row such as `张三 | 25 | 北京` is not a navigation bar.
//! - A heading before any content (the first line of a document) never starts a trailing
//!   section, so a document is never emptied by one.
//! - Watermarks are looked for only in documents with Chinese text (in an English text a
//!   domain is what the text is about), and a bracketed source counts only when it names a web
//!   site (`（来源：xx网）`), never a data source (`（来源：国家统计局）`), however often.
//!
//! What a wrong guess costs: a line of real content silently lost, the worst thing this tool
//! can do; a missed piece of furniture only leaves some noise. So every threshold below leans
//! towards keeping.
//!
//! Streaming: lines come one at a time and most are decided at once. Only a possible trailing
//! section is held back, at most [`MAX_HELD_LINES`] lines and [`MAX_HELD_BYTES`] bytes; past
//! either cap the section is released as content. Watermarks are counted per document and
//! removed from the line in which a phrase reaches [`WATERMARK_MIN_REPEATS`] occurrences on;
//! the earlier occurrences have already been passed on and stay (holding lines back to remove
//! those too would cost memory and latency for every document, for a few characters).

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::OnceLock;

use regex::{Regex, RegexBuilder};

use crate::config::BoilerplatePatterns;
use crate::error::Error;
use crate::pipeline::{Change, Line, LineEnding};
use crate::rules::{is_han, RuleId};

/// A line longer than this many characters is never single-line furniture (bylines, prompts,
/// share bars…): real furniture is a few words, and a sentence that long is almost surely
/// prose. Lines over it skip every built-in check but the footer ones.
pub const MAX_FURNITURE_CHARS: usize = 60;

/// Copyright and licence footers often pack several notices into one line
/// (`Copyright © … 版权所有 京ICP备… 京公网安备…`), so they get a longer limit; their patterns
/// (a licence number, `©` with a year) are specific enough to allow it.
pub const MAX_FOOTER_CHARS: usize = 150;

/// A multi-field byline (`作者：… 来源：… 时间：… 浏览：…`) may run a bit past
/// [`MAX_FURNITURE_CHARS`].
pub const MAX_BYLINE_CHARS: usize = 100;

/// Headings and prompts (`相关阅读`, `打开APP阅读全文`, `Click here to read more`) are a few
/// words; only lines up to this many characters are looked up in those lists.
pub const MAX_HEADING_CHARS: usize = 40;

/// At most this many lines of a possible trailing section are held back; one more releases
/// them all as content. A real reference or recommendation list is a few dozen lines.
pub const MAX_HELD_LINES: usize = 256;

/// At most this many bytes of a possible trailing section are held back (the same idea as
/// [`MAX_HELD_LINES`], for long link lines).
pub const MAX_HELD_BYTES: usize = 64 * 1024;

/// Inside a trailing section, a line wider than this (CJK characters count 2, URLs not at all)
/// is a paragraph of real content, and the whole section is kept. 120 is 60 Chinese characters
/// or a long English title; a link title or citation is rarely wider.
pub const MAX_TAIL_ITEM_WIDTH: usize = 120;

/// Inside a trailing section, a Chinese line of at least this many characters that ends with
/// `。` is a sentence, not a title (titles do not end with `。`), and keeps the section.
pub const PROSE_MIN_CHARS: usize = 16;

/// Inside a trailing section, an English line of at least this many words that ends with `.`
/// is a sentence and keeps the section.
pub const PROSE_MIN_WORDS: usize = 8;

/// A navigation bar has at least this many `|`-separated items…
pub const NAV_MIN_ITEMS: usize = 3;

/// …each at most this many characters long (`首页`, `联系我们`, `About us`).
pub const NAV_MAX_ITEM_CHARS: usize = 12;

/// A watermark phrase is removed once it has been seen this many times in a document. A
/// domain or source note that the text itself mentions appears once or twice
/// (`访问 www.gov.cn 查询`); a scraper's watermark appears in paragraph after paragraph.
pub const WATERMARK_MIN_REPEATS: u32 = 3;

/// At most this many distinct watermark candidates are counted per document, so that a page
/// full of different URLs cannot grow the table without bound. Later candidates are ignored
/// (never removed).
pub const MAX_WATERMARK_PHRASES: usize = 256;

/// A watermark candidate longer than this many bytes is a real URL with a path, not a
/// watermark, and is left alone.
pub const MAX_WATERMARK_PHRASE_BYTES: usize = 96;

/// The compiled-size limit of each pattern, built-in or the user's, so that a pathological
/// user pattern is a clear error instead of a slow start.
pub const PATTERN_SIZE_LIMIT: usize = 1 << 20;

const WATERMARK_REASON: &str = "scraper watermark repeated in the document";

/// The built-in phrase lists (headings, prompts, tool, share and navigation words, top-level
/// domains), hand-curated and kept as data so that they can be reviewed and extended without
/// reading Rust. See the header of the file for its format.
const BUILTIN_PHRASES: &str = include_str!("../../data/boilerplate/builtin.txt");

/// The phrases of one `[section]` of [`BUILTIN_PHRASES`].
fn builtin_phrases(section: &str) -> Vec<&'static str> {
    let mut current = None;
    let mut phrases = Vec::new();
    for line in BUILTIN_PHRASES.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line
            .strip_prefix('[')
            .and_then(|rest| rest.strip_suffix(']'))
        {
            current = Some(name);
        } else if current == Some(section) {
            phrases.push(line);
        }
    }
    assert!(
        !phrases.is_empty(),
        "data/boilerplate/builtin.txt has no [{section}] phrases"
    );
    phrases
}

/// A built-in pattern for a whole line, what a line it matches is, and the words it cannot
/// match without.
struct LinePattern {
    regex: &'static str,
    what: &'static str,
    /// Groups of strings: every line the pattern matches contains, for each group, at least
    /// one of its strings (ASCII case ignored). Most lines lack them and skip the pattern,
    /// which is compiled only once a line has them (see [`PatternSet`] and [`Triggers`]); the
    /// test `every_pattern_needs_its_triggers` proves the groups from the pattern itself.
    needs: &'static [&'static [&'static str]],
    /// For a pattern anchored at the start of the line: how a line it matches may open (lines
    /// are trimmed first), as strings of one or two characters, ASCII case ignored; a
    /// one-character opening lets any second character through (see [`Openings`]). A line
    /// that opens otherwise skips the pattern. The test
    /// `every_anchored_pattern_opens_as_it_says` proves the openings from the pattern itself.
    starts: Option<&'static [&'static str]>,
}

/// The colon of a `名称：值` field, ASCII or full-width.
const COLON: &[&str] = &[":", "："];

/// Single-line furniture of at most [`MAX_FURNITURE_CHARS`] characters: a pattern, anchored to
/// the whole line (leading and trailing whitespace removed), and what it is.
const FURNITURE: &[LinePattern] = &[
    // 上一篇：…, 下一篇, 上一篇 下一篇, 上一章 目录 下一章. Not 上篇/下篇 alone: in a book
    // those are the headings of its two parts.
    LinePattern {
        regex: r"^[【\[<«‹←]?\s*(?:上一篇|下一篇|上一页|下一页|上一条|下一条|上一章|下一章)\s*[】\]>»›→]?\s*(?:[：:].*|(?:目录|返回目录|返回列表|返回书页|加入书签|上一篇|下一篇|上一页|下一页|上一条|下一条|上一章|下一章).*)?$",
        what: "previous/next link",
        needs: &[&[
            "上一篇",
            "下一篇",
            "上一页",
            "下一页",
            "上一条",
            "下一条",
            "上一章",
            "下一章",
        ]],
        starts: Some(&["【", "[", "<", "«", "‹", "←", "上一", "下一"]),
    },
    LinePattern {
        regex: r"(?i)^[«‹←<]?\s*(?:previous|prev|next|older|newer)\s+(?:post|article|story|entry|page|chapter)s?\s*[»›→>]?\s*(?:[:：].*)?$",
        what: "previous/next link",
        needs: &[&["prev", "next", "older", "newer"]],
        starts: Some(&["«", "‹", "←", "<", "pr", "ne", "ol"]),
    },
    // 责任编辑：张三, 【责任编辑：张三】, （编辑 张三）
    LinePattern {
        regex: r"^[【\[（(]?\s*(?:责任编辑|责编|编辑|本文编辑|网络编辑|值班编辑|编审|审核|校对|审校|终审|初审)\s*[：:]\s*[^。！？（）()【】\[\]]{0,20}?\s*[】\]）)]?$",
        what: "byline (editor)",
        needs: &[
            &[
                "编辑", "责编", "编审", "审核", "校对", "审校", "终审", "初审",
            ],
            COLON,
        ],
        starts: Some(&[
            "【", "[", "（", "(", "责任", "责编", "编辑", "本文", "网络", "值班", "编审", "审核",
            "校对", "审校", "终审", "初审",
        ]),
    },
    LinePattern {
        regex: r"^[【\[（(]\s*(?:责任编辑|责编|编辑)\s+[^。！？\s]{1,12}\s*[】\]）)]$",
        what: "byline (editor)",
        needs: &[
            &["编辑", "责编"],
            &["【", "[", "（", "("],
            &["】", "]", "）", ")"],
        ],
        starts: Some(&["【", "[", "（", "("]),
    },
    // 来源：新华网, 【来源：xx网】, 原文链接：…
    LinePattern {
        regex: r"^[【\[（(]?\s*(?:来源|来源于|稿件来源|文章来源|本文来源|新闻来源|信息来源|稿源|出处|原文出处|转自|转载自|原文链接|原文地址|本文链接|本文地址)\s*[：:]\s*[^。！？（）()【】\[\]]{0,40}?\s*[】\]）)]?$",
        what: "byline (source)",
        needs: &[
            &["来源", "稿源", "出处", "转自", "转载自", "链接", "地址"],
            COLON,
        ],
        starts: Some(&[
            "【", "[", "（", "(", "来源", "稿件", "文章", "本文", "新闻", "信息", "稿源", "出处",
            "原文", "转自", "转载",
        ]),
    },
    // 发布时间：2020-01-01 10:00, 发布于 2020年1月1日
    LinePattern {
        regex: r"^[【\[（(]?\s*(?:发布时间|发布日期|发表时间|发表日期|更新时间|更新日期|发稿时间|录入时间|上传时间)\s*[：:]\s*[^。！？]*\d[^。！？]*$",
        what: "byline (date)",
        needs: &[&["时间", "日期"], COLON],
        starts: Some(&[
            "【", "[", "（", "(", "发布", "发表", "更新", "发稿", "录入", "上传",
        ]),
    },
    LinePattern {
        regex: r"^(?:发布于|更新于)\s*[\d\-/.年月日时分秒:：\s]+$",
        what: "byline (date)",
        needs: &[&["发布于", "更新于"]],
        starts: Some(&["发布", "更新"]),
    },
    LinePattern {
        regex: r"(?i)^(?:posted|published|updated|last updated)(?:\s+(?:on|at))?\s*[:：]?\s+[\w ,./:-]*\d{4}[\w ,./:-]*$",
        what: "byline (date)",
        // `ſ` (U+017F) is an `s` to a case-insensitive pattern.
        needs: &[&["posted", "poſted", "published", "publiſhed", "updated"]],
        starts: Some(&["po", "pu", "up", "la"]),
    },
    LinePattern {
        regex: r"(?i)^posted\s+(?:on\s+[^.!?]{4,40}\s+)?by\s+[^.!?]{1,40}$",
        what: "byline",
        needs: &[&["posted", "poſted"], &["by"]],
        starts: Some(&["po"]),
    },
    // 当前位置：首页 > 新闻 > 正文, 首页 > 新闻 > 正文
    LinePattern {
        regex: r"^[【\[]?\s*(?:当前位置|您的位置|你的位置|您现在的位置|你现在的位置|您当前的位置|您当前位置|当前所在位置|所在位置|现在位置)\s*[：:】\]].*$",
        what: "breadcrumb",
        needs: &[&["位置"], &[":", "：", "】", "]"]],
        starts: Some(&[
            "【", "[", "当前", "您的", "你的", "您现", "你现", "您当", "所在", "现在",
        ]),
    },
    LinePattern {
        regex: r"^(?:位置|导航)\s*[：:]\s*(?:首页|主页|网站首页)",
        what: "breadcrumb",
        needs: &[&["位置", "导航"], COLON, &["首页", "主页"]],
        starts: Some(&["位置", "导航"]),
    },
    LinePattern {
        regex: r"^(?:首页|主页|网站首页|Home|HOME|home)\s*(?:>>?|›|»|＞|→|/|-+>)\s*[^。！？]{0,50}$",
        what: "breadcrumb",
        needs: &[&["首页", "主页", "home"], &[">", "›", "»", "＞", "→", "/"]],
        starts: Some(&["首页", "主页", "网站", "ho"]),
    },
    // 分享到：微信 微博 QQ空间
    LinePattern {
        regex: r"^(?:分享到|分享至|一键分享|分享给好友|分享给朋友)[^。！？]{0,40}$",
        what: "share bar",
        needs: &[&["分享"]],
        starts: Some(&["分享", "一键"]),
    },
    LinePattern {
        regex: r"^分享\s*[：:]\s*(?:微信|微博|新浪微博|腾讯微博|QQ空间|QQ好友|QQ|朋友圈|豆瓣|百度|贴吧|复制链接|更多|[\s、,，|丨/·])*$",
        what: "share bar",
        needs: &[&["分享"], COLON],
        starts: Some(&["分享"]),
    },
    LinePattern {
        regex: r"(?i)^share(?:\s+(?:this(?:\s+(?:article|story|post|page))?|on|via))?\s*[:：]?(?:\s*(?:facebook|twitter|linkedin|email|e-mail|whatsapp|reddit|pinterest|weibo|wechat|print|copy link|[|,/·•]))*$",
        what: "share bar",
        needs: &[&["hare"]],
        starts: Some(&["sh", "ſh"]),
    },
    // 扫一扫，关注我们; 长按识别二维码关注; 关注xx公众号，获取更多资讯
    LinePattern {
        regex: r"^(?:微信)?(?:扫一扫|扫描二维码|扫描下方二维码|扫描上方二维码|长按识别二维码|长按二维码|长按识别|识别二维码|扫码)(?:[^。！？]{0,30}(?:关注|公众号|二维码|下载|订阅|阅读|手机|APP|App|app)[^。！？]{0,20})?[。！!]?$",
        what: "QR code prompt",
        needs: &[&["扫一扫", "二维码", "长按识别", "扫码"]],
        starts: Some(&["微信", "扫一", "扫描", "扫码", "长按", "识别"]),
    },
    LinePattern {
        regex: r"^(?:欢迎|请)?关注(?:我们|本站|本号)[：:！!。]?$",
        what: "follow prompt",
        needs: &[&["关注我们", "关注本站", "关注本号"]],
        starts: Some(&["欢迎", "请关", "关注"]),
    },
    LinePattern {
        regex: r"^(?:欢迎|请)?关注.{0,12}?(?:公众号|微信号|服务号|订阅号|头条号|抖音号|视频号)[^。！？]{0,30}[。！!]?$",
        what: "follow prompt",
        needs: &[
            &["关注"],
            &[
                "公众号",
                "微信号",
                "服务号",
                "订阅号",
                "头条号",
                "抖音号",
                "视频号",
            ],
        ],
        starts: Some(&["欢迎", "请关", "关注"]),
    },
    // 免责声明：…, 本文来源于网络，如有侵权请联系删除
    LinePattern {
        regex: r"^[【\[（(]?\s*(?:免责声明|版权声明|特别声明|原创声明|转载声明|郑重声明)(?:\s*[】\]）)])?(?:\s*[：:].*)?$",
        what: "disclaimer",
        needs: &[&["声明"]],
        starts: Some(&[
            "【", "[", "（", "(", "免责", "版权", "特别", "原创", "转载", "郑重",
        ]),
    },
    LinePattern {
        regex: r"^(?:本文|文章|本文内容|文章内容|内容|图片|部分图片|本文图片|文中图片|图文|素材)均?(?:来源于|来自于?|源自|转自|转载自|整理自)(?:网络|互联网|网友)",
        what: "disclaimer",
        needs: &[&["自网", "于网", "自互", "于互"]],
        starts: Some(&[
            "本文", "文章", "内容", "图片", "部分", "文中", "图文", "素材",
        ]),
    },
    LinePattern {
        regex: r"^(?:本文|此文|该文)(?:来源于|来自|转载自|转自)[：:]?\s*[^，。！？]{0,20}?(?:网|网站|平台|公众号|网络|互联网|头条号|百家号|客户端|微信|微博|报|杂志|社|电视台|电台)(?:[，,。.！]|$)",
        what: "disclaimer",
        needs: &[
            &["本文", "此文", "该文"],
            &["来源于", "来自", "转载自", "转自"],
        ],
        starts: Some(&["本文", "此文", "该文"]),
    },
    LinePattern {
        regex: r"^(?:转载请注明|转载请保留|如需转载|禁止转载|欢迎转载|原创文章|本文为.{0,12}原创|本文系.{0,12}原创|版权归.{0,16}所有)",
        what: "disclaimer",
        needs: &[&["转载", "原创文章", "本文为", "本文系", "版权归"]],
        starts: Some(&["转载", "如需", "禁止", "欢迎", "原创", "本文", "版权"]),
    },
    LinePattern {
        regex: r"^(?:未经授权|未经许可|未经允许)[^。！？]{0,20}(?:转载|复制|镜像|使用本)",
        what: "disclaimer",
        needs: &[&["未经授权", "未经许可", "未经允许"]],
        starts: Some(&["未经"]),
    },
    // The disclaimer asks to be contacted or promises removal; a contract clause that merely
    // mentions infringement (三、如有侵权，由乙方承担全部法律责任。) is content.
    LinePattern {
        regex: r"(?:如有|若有|如涉及|若涉及)侵权[^。]{0,16}(?:联系|删除|告知|通知)",
        what: "disclaimer",
        needs: &[&["侵权"]],
        starts: None,
    },
    LinePattern {
        regex: r"^(?:本文|文章|以上内容)(?:内容)?(?:仅代表|只代表)(?:作者|个人)",
        what: "disclaimer",
        needs: &[&["仅代表", "只代表"]],
        starts: Some(&["本文", "文章", "以上"]),
    },
    LinePattern {
        regex: r"^(?:本文|文章|以上内容|内容)(?:仅供参考|不代表本站|不构成投资建议)",
        what: "disclaimer",
        needs: &[&["仅供参考", "不代表本站", "不构成投资建议"]],
        starts: Some(&["本文", "文章", "以上", "内容"]),
    },
    // 展开剩余85%
    LinePattern {
        regex: r"^(?:展开)?剩余\s*\d{1,3}\s*[%％]$",
        what: "read-more prompt",
        needs: &[&["剩余"]],
        starts: Some(&["展开", "剩余"]),
    },
    // 标签：…, Tags: …
    LinePattern {
        regex: r"^(?:标签|TAGS?|Tags?|tags?)\s*[：:]",
        what: "tags line",
        needs: &[&["标签", "tag"], COLON],
        starts: Some(&["标签", "ta"]),
    },
];

/// Copyright and licence lines, of at most [`MAX_FOOTER_CHARS`] characters and with no
/// sentence inside (see [`has_inner_sentence_end`]). Not anchored at the start: a footer line
/// may put them in any order.
const FOOTER: &[LinePattern] = &[
    LinePattern {
        regex: r"(?i)copyright\s*(?:©|\(c\)|\d{4})",
        what: "copyright line",
        needs: &[&["copyright"]],
        starts: None,
    },
    LinePattern {
        regex: r"©\s*(?:\d{4}|(?i:copyright))",
        what: "copyright line",
        needs: &[&["©"]],
        starts: None,
    },
    // At the end of the line: a sentence that merely mentions the phrase goes on after it.
    LinePattern {
        regex: r"(?i)all\s+rights\s+reserved\.?$",
        what: "copyright line",
        needs: &[&["erved"]],
        starts: None,
    },
    LinePattern {
        regex: r"^版权所有(?:$|[\s：:©(（,，]|\d)",
        what: "copyright line",
        needs: &[&["版权所有"]],
        starts: Some(&["版权"]),
    },
    LinePattern {
        regex: r"版权所有\s*(?:[：:©]|\((?i:c)\)|（(?i:c)）)",
        what: "copyright line",
        needs: &[&["版权所有"]],
        starts: None,
    },
    LinePattern {
        regex: r"版权所有[，,\s]*(?:未经|侵权必究|翻印必究|违者必究|不得|禁止|转载)",
        what: "copyright line",
        needs: &[&["版权所有"]],
        starts: None,
    },
    LinePattern {
        regex: r"\p{Han}版权所有$",
        what: "copyright line",
        needs: &[&["版权所有"]],
        starts: None,
    },
    LinePattern {
        regex: r"ICP\s*(?:备案号?|证|备|许可证)[：:\s]*(?:\p{Han}\s*)?(?:ICP\s*[备证]\s*)?\d{5,}",
        what: "ICP licence line",
        needs: &[&["ICP"]],
        starts: None,
    },
    LinePattern {
        regex: r"公网安备\s*[：:]?\s*\d{8,}",
        what: "public security record line (公网安备)",
        needs: &[&["公网安备"]],
        starts: None,
    },
];

/// The names of the fields of a multi-field byline; two fields at the start of a short line
/// make it one. Each field ends with a colon ([`byline_field_pattern`]), so a line with fewer
/// than two colons has no two fields.
const BYLINE_FIELDS: &[&str] = &[
    "责任编辑",
    "文章来源",
    "发布时间",
    "发布日期",
    "浏览次数",
    "作者",
    "来源",
    "时间",
    "日期",
    "编辑",
    "责编",
    "发布",
    "浏览",
    "点击",
    "阅读",
    "字号",
    "记者",
    "通讯员",
    "摄影",
    "出处",
    "稿源",
];

/// A byline field: one of [`BYLINE_FIELDS`] (captured) and its colon.
fn byline_field_pattern() -> String {
    format!(r"({})\s*[：:]", BYLINE_FIELDS.join("|"))
}

/// How a line whose first byline field is `name` opens, for [`Boilerplate::look`]: with the
/// first two characters of the name (a leading bracket is let through on its own).
fn byline_field_opening(name: &str) -> &str {
    let end = name.char_indices().nth(2).map_or(name.len(), |(at, _)| at);
    &name[..end]
}

/// A domain or URL inside a line, as a watermark candidate. Validated by [`is_watermark_domain`].
const DOMAIN: &str = r"(?:https?://)?[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+(?:/[A-Za-z0-9._~/?#=&%+-]*)?";

/// A source note pasted into the text: `（来源：xx网）`, `【来自xx网】`, `本文来自xx网`. The
/// source must look like a web site (…网, …站, a domain), so that a repeated data citation such
/// as `（来源：国家统计局）` is never a watermark.
const SOURCE_NOTE: &str = r"[（(【\[]\s*(?:来源|来自|转自|出处|转载自|本文来源|文章来源|本文来自|稿源)\s*[：:]?\s*[^（）()【】\[\]\s。，]{0,20}?(?:网|站|平台|公众号|客户端|APP|App|app|\.com|\.cn|\.net|\.org)\s*[）)】\]]|本文(?:来自|来源于|转自|转载自|首发于|首发自)\s*[：:]?\s*[\p{Han}A-Za-z0-9]{1,12}?(?:网|站|平台|公众号)";

/// Words that may start a source-note watermark; a line without one (and without a `.`) is
/// not scanned further.
const SOURCE_TRIGGERS: &[&str] = &["来源", "来自", "转自", "出处", "转载", "稿源"];

/// The source words of a [`SOURCE_NOTE`]: [`SOURCE_TRIGGERS`], and 首发 for `本文首发于…`.
const SOURCE_WORDS: &[&str] = &["来源", "来自", "转自", "出处", "转载", "稿源", "首发"];

/// What every match of [`SOURCE_NOTE`] contains, as [`LinePattern::needs`] groups: an opening
/// bracket or 本文, and a source word. A line with a `.` but none of these skips the pattern.
const SOURCE_NOTE_NEEDS: &[&[&str]] = &[&["（", "(", "【", "[", "本文"], SOURCE_WORDS];

/// The strings [`Boilerplate::look`] looks for anywhere in a line: the first group of
/// [`LinePattern::needs`] of each pattern not anchored at the start, the [`PIPES`] of a
/// navigation bar, and the [`SOURCE_WORDS`] (the [`SOURCE_TRIGGERS`] among them) that a
/// watermark without a dotted name needs.
fn anywhere_strings() -> Vec<String> {
    let unanchored = FURNITURE
        .iter()
        .chain(FOOTER)
        .filter(|pattern| pattern.starts.is_none())
        .flat_map(|pattern| pattern.needs[0].iter().copied());
    let mut strings: Vec<String> = Vec::new();
    for string in unanchored
        .chain(SOURCE_WORDS.iter().copied())
        .map(String::from)
        .chain(PIPES.map(String::from))
    {
        if !strings.contains(&string) {
            strings.push(string);
        }
    }
    strings
}

/// What [`Boilerplate::look`] saw in a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Look {
    /// Nothing any built-in check or watermark needs: the line is blank or content.
    Plain,
    /// What only a phrase check (a heading, a prompt, page tools) needs; no watermark.
    Phrases,
    /// Something: the bits of every trigger string in the line ([`Triggers::find`]).
    Triggers(u128),
}

/// A set of characters of the Basic Multilingual Plane, one bit each.
struct FirstChars {
    bits: Box<[u64; (1 << 16) / 64]>,
}

impl FirstChars {
    /// The set of `chars`, each ASCII letter in both cases.
    fn new(chars: impl Iterator<Item = char>) -> FirstChars {
        let mut bits = Box::new([0u64; (1 << 16) / 64]);
        for c in chars.flat_map(|c| [c.to_ascii_lowercase(), c.to_ascii_uppercase()]) {
            let code = c as usize;
            assert!(code < 1 << 16, "{c} is beyond the BMP");
            bits[code / 64] |= 1 << (code % 64);
        }
        FirstChars { bits }
    }

    fn contains(&self, c: char) -> bool {
        let code = c as usize;
        code < 1 << 16 && self.bits[code / 64] & 1 << (code % 64) != 0
    }
}

/// How a line may open: a list of openings of one or two characters (see
/// [`LinePattern::starts`]), ASCII case ignored. The first character alone lets through the
/// many lines whose first character opens a check (当, 如, 此, 编, T…) but whose second does not
/// (当然, 如果, 此处, 编译, The…).
struct Openings {
    /// Each opening as its first character and its second (None: any), ASCII lowercased,
    /// sorted.
    pairs: Vec<(char, Option<char>)>,
}

impl Openings {
    fn new<'a>(openings: impl Iterator<Item = &'a str>) -> Openings {
        let mut pairs: Vec<(char, Option<char>)> = openings
            .map(|opening| {
                let mut chars = opening.chars().map(|c| c.to_ascii_lowercase());
                let first = chars.next().expect("an empty opening");
                let second = chars.next();
                assert!(chars.next().is_none(), "opening {opening} is too long");
                (first, second)
            })
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        Openings { pairs }
    }

    /// The first characters of the openings.
    fn first_chars(&self) -> impl Iterator<Item = char> + '_ {
        self.pairs.iter().map(|&(first, _)| first)
    }

    /// Whether a (trimmed) line that starts with `first`, then `second` (None: the line ends
    /// there), may open as one of the openings.
    fn may_open(&self, first: char, second: Option<char>) -> bool {
        let first = first.to_ascii_lowercase();
        let at = self.pairs.partition_point(|&(other, _)| other < first);
        let mut same_first = self.pairs[at..]
            .iter()
            .take_while(|&&(other, _)| other == first);
        match second.map(|c| c.to_ascii_lowercase()) {
            None => same_first.next().is_some(),
            Some(second) => same_first.any(|&(_, other)| other.is_none_or(|c| c == second)),
        }
    }

    /// [`Self::may_open`] of the first two characters of `core` (a trimmed line).
    fn opens(&self, core: &str) -> bool {
        let mut chars = core.chars();
        chars
            .next()
            .is_some_and(|first| self.may_open(first, chars.next()))
    }
}

/// The separators of a navigation bar's items (`首页 | 新闻 | 联系我们`).
const PIPES: [char; 5] = ['|', '｜', '丨', '│', '┃'];

/// URLs, which do not count towards the width of a line in a trailing section.
const URL: &str = r"(?:https?://|www\.)[!-~]+";

/// The compiled boilerplate rules: built-in and the user's.
pub struct Boilerplate {
    /// The strings the built-in checks need, found in a line in one pass.
    triggers: Triggers,
    /// The bits of [`SOURCE_TRIGGERS`] in [`Self::triggers`].
    source_bits: u128,
    /// The bits of [`PIPES`] in [`Self::triggers`].
    pipe_bits: u128,
    /// The bits of [`COLON`] in [`Self::triggers`].
    colon_bits: u128,
    /// The strings a check that is not anchored at the start of a line needs somewhere in it
    /// (see [`anywhere_strings`]), for [`Self::look`].
    anywhere: Anywhere,
    /// The first characters of a trimmed line that an anchored check needing trigger strings
    /// (a pattern with [`LinePattern::starts`], a multi-field byline) may take, for
    /// [`Self::look`]: a quick test before [`Self::pattern_openings`].
    pattern_starts: FirstChars,
    /// How a trimmed line that such a check may take opens.
    pattern_openings: Openings,
    /// The first characters of a trimmed line that a phrase check (a heading, a prompt, page
    /// tools) may take, for [`Self::look`].
    phrase_starts: FirstChars,
    furniture: PatternSet,
    footer: PatternSet,
    byline_field: Compiled<Regex>,
    headings: HashSet<String>,
    prompts: HashSet<String>,
    /// The ends of every heading and prompt key, to skip squeezing lines that are neither.
    heading_ends: KeyEnds,
    tool_words: HashSet<String>,
    /// Bytes of the longest tool word (ASCII lowercasing keeps the length).
    longest_tool_word: usize,
    /// The first characters of the tool words, ASCII lowercased and sorted.
    tool_word_starts: Vec<char>,
    share_words: HashSet<String>,
    nav_words: HashSet<String>,
    tlds: HashSet<String>,
    url: Compiled<Regex>,
    domain: Compiled<Regex>,
    source_note: Compiled<Regex>,
    /// The bits of [`SOURCE_NOTE_NEEDS`]' groups in [`Self::triggers`].
    source_note_needs: Vec<u128>,
    user_drop: Vec<Regex>,
    user_cut_after: Vec<Regex>,
    user_keep: Vec<Regex>,
}

impl Boilerplate {
    /// Compiles the built-in rules and the user's patterns. Fails only on a bad user pattern.
    pub fn new(user: &BoilerplatePatterns) -> Result<Boilerplate, Error> {
        // Headings, prompts and navigation words are looked up by their squeezed form; tool
        // words and domains by their lowercased form.
        let squeezed = |section: &str| -> HashSet<String> {
            let mut key = String::new();
            builtin_phrases(section)
                .into_iter()
                .map(|phrase| {
                    squeeze(phrase, &mut key);
                    key.clone()
                })
                .collect()
        };
        let lowercased = |section: &str| -> HashSet<String> {
            builtin_phrases(section)
                .into_iter()
                .map(str::to_ascii_lowercase)
                .collect()
        };
        let triggers = Triggers::new(every_trigger_string());
        let headings = squeezed("headings");
        let prompts = squeezed("prompts");
        let tool_words = lowercased("tool words");
        let mut tool_word_starts: Vec<char> = tool_words
            .iter()
            .filter_map(|word| word.chars().next())
            .collect();
        tool_word_starts.sort_unstable();
        tool_word_starts.dedup();
        let heading_ends = KeyEnds::new(headings.iter().chain(&prompts));
        let pattern_openings = Openings::new(
            FURNITURE
                .iter()
                .chain(FOOTER)
                .filter_map(|pattern| pattern.starts)
                .flatten()
                .copied()
                .chain(BYLINE_FIELDS.iter().map(|name| byline_field_opening(name))),
        );
        let pattern_starts = FirstChars::new(pattern_openings.first_chars());
        let phrase_starts = FirstChars::new(
            heading_ends
                .first
                .iter()
                .chain(&tool_word_starts)
                .copied()
                .chain(['大', '中', '小'])
                .chain('0'..='9'),
        );
        Ok(Boilerplate {
            furniture: PatternSet::new(FURNITURE, &triggers),
            footer: PatternSet::new(FOOTER, &triggers),
            source_note_needs: SOURCE_NOTE_NEEDS
                .iter()
                .map(|group| triggers.mask(group))
                .collect(),
            source_bits: triggers.mask(SOURCE_TRIGGERS),
            pipe_bits: triggers.mask(&PIPES.map(String::from)),
            colon_bits: triggers.mask(COLON),
            triggers,
            anywhere: Anywhere::new(anywhere_strings()),
            pattern_starts,
            pattern_openings,
            phrase_starts,
            byline_field: Compiled::new(|| builtin(&byline_field_pattern())),
            heading_ends,
            headings,
            prompts,
            longest_tool_word: tool_words.iter().map(String::len).max().unwrap_or(0),
            tool_word_starts,
            tool_words,
            share_words: lowercased("share words"),
            nav_words: squeezed("nav words"),
            tlds: lowercased("tlds"),
            url: Compiled::new(|| builtin(URL)),
            domain: Compiled::new(|| builtin(DOMAIN)),
            source_note: Compiled::new(|| builtin(SOURCE_NOTE)),
            user_drop: user_patterns(&user.drop)?,
            user_cut_after: user_patterns(&user.cut_after)?,
            user_keep: user_patterns(&user.keep)?,
        })
    }

    /// What a line is on its own, before the document around it is known: the part of
    /// [`BoilerplateState::push`]'s work that can run on any thread.
    pub fn preclassify(&self, text: &str) -> Classified {
        if self.is_protected(text) {
            // A protected line is never looked at again.
            return Classified {
                look: Look::Plain,
                kind: Kind::Protected,
            };
        }
        let look = self.look(text);
        Classified {
            look,
            kind: self.classify(text, Some(look), &mut String::new()),
        }
    }

    /// The quick look every line gets before any check. Most lines are [`Look::Plain`] and
    /// cost this and nothing more: they (once trimmed) open no anchored check, and they have
    /// no dotted name (every domain has one) and none of [`anywhere_strings`].
    fn look(&self, text: &str) -> Look {
        let core = text.trim_start();
        let first = core.chars().next();
        if self.may_open_pattern(core) || has_dotted_name(text) || self.anywhere.occurs_in(text) {
            Look::Triggers(self.triggers.find(text))
        } else if first.is_some_and(|c| self.may_start_phrase(c)) {
            Look::Phrases
        } else {
            Look::Plain
        }
    }

    /// Whether `core`, a trimmed line, may be taken by an anchored check that needs trigger
    /// strings: a furniture or footer pattern with [`LinePattern::starts`] or a multi-field
    /// byline ([`Self::may_be_multi_field_byline`], which skips a leading bracket).
    fn may_open_pattern(&self, core: &str) -> bool {
        core.chars().next().is_some_and(|first| {
            is_byline_lead(first)
                || (self.pattern_starts.contains(first) && self.pattern_openings.opens(core))
        })
    }

    /// Whether a trimmed line starting with `first` may be taken by a phrase check: a heading
    /// or prompt ([`KeyEnds::may_be_key_of`]) or page tools ([`Self::may_be_page_tools`]).
    /// Both skip leading decoration or separators, so a line starting with one of those may
    /// be either.
    fn may_start_phrase(&self, first: char) -> bool {
        self.phrase_starts.contains(first)
            || is_decoration(first)
            || is_squeezed_out(first)
            || is_tool_separator(first)
    }

    fn is_protected(&self, text: &str) -> bool {
        self.user_keep.iter().any(|pattern| pattern.is_match(text))
    }

    /// What `text` is, on its own. `look` is [`Self::look`] of `text` when the caller has it
    /// already; `scratch` is a reusable buffer.
    fn classify(&self, text: &str, look: Option<Look>, scratch: &mut String) -> Kind {
        let core = text.trim();
        if core.is_empty() {
            return Kind::Blank;
        }
        if self.user_drop.iter().any(|pattern| pattern.is_match(text)) {
            return Kind::Furniture(Cow::Borrowed("user drop pattern"));
        }
        if self
            .user_cut_after
            .iter()
            .any(|pattern| pattern.is_match(text))
        {
            return Kind::Heading(Cow::Owned(format!(
                "trailing section after {core} (user cut_after pattern)"
            )));
        }
        // The cheap gate that most lines stop at: every built-in check below needs a short
        // line. UTF-8 has at most 4 bytes a character, so the byte length bounds the count.
        if core.len() > MAX_FOOTER_CHARS * 4 {
            return Kind::Content;
        }
        // No trigger string holds whitespace, so trimming finds none and loses none.
        let found = match look.unwrap_or_else(|| self.look(core)) {
            Look::Plain => return Kind::Content,
            // No check that needs a trigger string can take the line: they are passed over
            // as if it had none.
            Look::Phrases => 0,
            Look::Triggers(found) => found,
        };
        // Without a trigger string only the phrase checks below can take the line, and they
        // take none over MAX_FURNITURE_CHARS (4 bytes at most each).
        if found == 0 && core.len() > MAX_FURNITURE_CHARS * 4 {
            return Kind::Content;
        }
        let chars = core.chars().count();
        if chars > MAX_FOOTER_CHARS {
            return Kind::Content;
        }
        if chars <= MAX_FURNITURE_CHARS {
            if chars <= MAX_HEADING_CHARS && self.heading_ends.may_be_key_of(core) {
                squeeze(core, scratch);
                if self.headings.contains(scratch.as_str()) {
                    return Kind::Heading(Cow::Owned(format!("trailing section after {core}")));
                }
                if self.prompts.contains(scratch.as_str()) {
                    return Kind::Furniture(Cow::Borrowed("read-more prompt"));
                }
            }
            if let Some(index) = self.furniture.first_match(core, found) {
                return Kind::Furniture(Cow::Borrowed(FURNITURE[index].what));
            }
            if found & self.pipe_bits != 0 && self.is_nav_bar(core, scratch) {
                return Kind::Furniture(Cow::Borrowed("navigation bar"));
            }
            if let Some(reason) = self
                .may_be_page_tools(core)
                .then(|| self.page_tools(core, scratch))
                .flatten()
            {
                return Kind::Furniture(Cow::Borrowed(reason));
            }
        }
        // A multi-field byline needs a colon, a footer pattern its words: both trigger strings.
        if found == 0 {
            return Kind::Content;
        }
        if has_inner_sentence_end(core) {
            return Kind::Content;
        }
        if chars <= MAX_BYLINE_CHARS
            && self.may_be_multi_field_byline(core, found)
            && self.is_multi_field_byline(core)
        {
            return Kind::Furniture(Cow::Borrowed("byline"));
        }
        if let Some(index) = self
            .footer
            .first_match(core, found)
            .filter(|_| !reads_as_a_sentence(core))
        {
            return Kind::Furniture(Cow::Borrowed(FOOTER[index].what));
        }
        Kind::Content
    }

    /// `作者：张三 来源：新华网 时间：2020-01-01`: a line that starts with a byline field and has
    /// another. `时间：… 日期：…` alone is not enough (a notice has those).
    fn is_multi_field_byline(&self, core: &str) -> bool {
        let colons =
            memchr::memchr_iter(b':', core.as_bytes()).count() + core.matches('：').count();
        if colons < 2 {
            return false;
        }
        let mut fields = self.byline_field.get().captures_iter(core);
        let Some(first) = fields.next() else {
            return false;
        };
        let start = first.get(0).map_or(0, |m| m.start());
        if !core[..start].chars().all(is_byline_lead) {
            return false;
        }
        let is_weak = |name: &str| matches!(name, "时间" | "日期");
        let mut strong = !is_weak(&first[1]);
        let mut count = 1;
        for field in fields {
            count += 1;
            strong |= !is_weak(&field[1]);
        }
        count >= 2 && strong
    }

    /// Whether [`Self::is_multi_field_byline`] may hold for `core`, whose trigger strings are
    /// `found` ([`Triggers::find`]): its first field starts the line after
    /// [`is_byline_lead`] characters, and it has a colon.
    fn may_be_multi_field_byline(&self, core: &str, found: u128) -> bool {
        let after_lead = core.trim_start_matches(is_byline_lead);
        found & self.colon_bits != 0
            && BYLINE_FIELDS
                .iter()
                .any(|name| after_lead.starts_with(name))
    }

    /// `首页 | 新闻 | 体育 | 联系我们`: short `|`-separated items, one of them a navigation word.
    /// A line that starts with `|` is a Markdown table row, never a navigation bar.
    fn is_nav_bar(&self, core: &str, scratch: &mut String) -> bool {
        if core.starts_with(PIPES) {
            return false;
        }
        let mut items = 0;
        let mut nav_word = false;
        for item in core
            .split(PIPES)
            .map(str::trim)
            .filter(|item| !item.is_empty())
        {
            if item.chars().count() > NAV_MAX_ITEM_CHARS || item.contains(is_sentence_punct) {
                return false;
            }
            items += 1;
            squeeze(item, scratch);
            nav_word |= self.nav_words.contains(scratch.as_str());
        }
        items >= NAV_MIN_ITEMS && nav_word
    }

    /// `点赞 收藏 评论`, `阅读 1234`, `评论(3) 分享`: a line of at least two tokens, each a
    /// tool word or a counter, at least one a tool word.
    fn page_tools(&self, core: &str, scratch: &mut String) -> Option<&'static str> {
        let mut tokens = 0;
        let mut tool = false;
        let mut share = false;
        for token in core
            .split(is_tool_separator)
            .filter(|token| !token.is_empty())
        {
            tokens += 1;
            // A token longer than every tool word is not one: no need to fold and hash it.
            let may_be_tool = token.len() <= self.longest_tool_word;
            if may_be_tool {
                scratch.clear();
                scratch.extend(token.chars().map(|c| c.to_ascii_lowercase()));
            }
            if may_be_tool && self.tool_words.contains(scratch.as_str()) {
                tool = true;
                share |= self.share_words.contains(scratch.as_str());
            } else if !(is_counter(token) || matches!(token, "大" | "中" | "小")) {
                return None;
            }
        }
        match (tokens >= 2 && tool, share) {
            (false, _) => None,
            (true, true) => Some("share bar"),
            (true, false) => Some("page tools (likes, comments, counters)"),
        }
    }

    /// Whether [`Self::page_tools`] may find something in `core`: its first token starts like a
    /// tool word, a counter (with a digit) or a font size (大, 中, 小).
    fn may_be_page_tools(&self, core: &str) -> bool {
        core.chars()
            .find(|&c| !is_tool_separator(c))
            .map(|c| c.to_ascii_lowercase())
            .is_some_and(|first| {
                first.is_ascii_digit()
                    || matches!(first, '大' | '中' | '小')
                    || self.tool_word_starts.binary_search(&first).is_ok()
            })
    }

    /// Whether a line inside a trailing section is real content, which keeps the section:
    /// wide (URLs not counted), or a sentence rather than a title.
    fn looks_like_prose(&self, text: &str) -> bool {
        let core = text.trim();
        let url_bytes: usize = self.url.get().find_iter(core).map(|m| m.len()).sum();
        let width: usize = core.chars().map(char_width).sum::<usize>() - url_bytes;
        if width > MAX_TAIL_ITEM_WIDTH {
            return true;
        }
        if core.matches('。').count() >= 2 {
            return true;
        }
        if core.ends_with('。') && core.chars().count() >= PROSE_MIN_CHARS {
            return true;
        }
        core.ends_with('.') && core.split_whitespace().count() >= PROSE_MIN_WORDS
    }

    /// Finds watermarks in `text`, counts them in `seen`, and returns in `spans` (sorted, not
    /// overlapping) those to remove: every candidate whose count has reached
    /// [`WATERMARK_MIN_REPEATS`], counting this line.
    ///
    /// `chinese` says whether the document has had Chinese text so far: a domain in an English
    /// text is part of what the text says, and is never a watermark.
    /// `look` is [`Self::look`] of `text`.
    fn find_watermarks(
        &self,
        text: &str,
        look: Look,
        chinese: &mut bool,
        seen: &mut HashMap<String, u32>,
        spans: &mut Vec<Range<usize>>,
    ) {
        spans.clear();
        // Cheap gates first: a watermark needs a '.' or a source word. A plain line has no
        // dotted name and no source word, and so no domain and no source note below.
        let has_dot = || memchr::memchr(b'.', text.as_bytes()).is_some();
        let triggers = match look {
            Look::Triggers(triggers) if triggers & self.source_bits != 0 || has_dot() => triggers,
            _ => {
                *chinese = *chinese || text.chars().any(is_han);
                return;
            }
        };
        let line_has_han = text.chars().any(is_han);
        *chinese = *chinese || line_has_han;
        if !*chinese {
            return;
        }
        // A line without Chinese loses its phrases only when they cover all of it (below).
        // There, every phrase is a domain (a source note has Chinese words), with a '.': a
        // word without one keeps the line as it is.
        if !line_has_han && text.split_whitespace().any(|word| !word.contains('.')) {
            return;
        }
        let mut found: Vec<(Range<usize>, String)> = Vec::new();
        if has_all(triggers, &self.source_note_needs) {
            for m in self.source_note.get().find_iter(text) {
                if m.len() <= MAX_WATERMARK_PHRASE_BYTES {
                    found.push((m.range(), m.as_str().to_string()));
                }
            }
        }
        let domains = has_dotted_name(text).then(|| self.domain.get().find_iter(text));
        for m in domains.into_iter().flatten() {
            if m.len() > MAX_WATERMARK_PHRASE_BYTES
                || found
                    .iter()
                    .any(|(range, _)| range.start < m.end() && m.start() < range.end)
                || !self.is_watermark_domain(text, m.range())
            {
                continue;
            }
            found.push((
                widen_to_brackets(text, m.range()),
                m.as_str().to_ascii_lowercase(),
            ));
        }
        if found.is_empty() {
            return;
        }
        found.sort_by_key(|(range, _)| range.start);
        // A line without Chinese inside a Chinese document (an English sentence, a command)
        // is written in another language, where a domain is what the sentence talks about;
        // only a line made of nothing but the phrase itself is still a watermark.
        if !line_has_han && !covers_all_but_whitespace(text, found.iter().map(|(r, _)| r)) {
            return;
        }
        for (i, (_, key)) in found.iter().enumerate() {
            // Count each distinct phrase once per line, at its first occurrence.
            if found[..i].iter().any(|(_, earlier)| earlier == key) {
                continue;
            }
            let in_line = found.iter().filter(|(_, other)| other == key).count() as u32;
            let total = if let Some(count) = seen.get_mut(key) {
                *count += in_line;
                *count
            } else if seen.len() < MAX_WATERMARK_PHRASES {
                seen.insert(key.clone(), in_line);
                in_line
            } else {
                continue;
            };
            if total >= WATERMARK_MIN_REPEATS {
                spans.extend(
                    found
                        .iter()
                        .filter(|(_, other)| other == key)
                        .map(|(range, _)| range.clone()),
                );
            }
        }
        spans.sort_by_key(|range| range.start);
        for span in spans.iter_mut() {
            *span = swallow_spaces(text, span.clone());
        }
        spans.dedup_by(|later, earlier| {
            if later.start < earlier.end {
                earlier.end = earlier.end.max(later.end);
                true
            } else {
                false
            }
        });
    }

    /// A domain candidate is a watermark candidate when its host ends with a known top-level
    /// domain and it is not part of a larger token (an e-mail address, a path). A full link
    /// (`http://…`, or a host with a path or query) is never one: a page that links the same
    /// address three times is citing it, and cutting a link in half leaves garbage.
    fn is_watermark_domain(&self, text: &str, range: Range<usize>) -> bool {
        let found = &text[range.clone()];
        if found.contains("://") || found.contains('/') {
            return false;
        }
        if let Some(after) = text[range.end..].chars().next() {
            if matches!(after, '/' | '?' | '#' | '@' | '_' | '-') || after.is_ascii_alphanumeric() {
                return false;
            }
        }
        if let Some(before) = text[..range.start].chars().next_back() {
            if before.is_ascii_alphanumeric()
                || matches!(before, '@' | '.' | '_' | '-' | '/' | ':' | '\\')
            {
                return false;
            }
        }
        // Code and product names look like domains too (`logging.info(…)`, `ASP.NET`): a
        // watermark host is lower case, is not called, and is either `www.…` or a plain
        // `name.com`/`name.cn`-style address.
        let host = found;
        if host.bytes().any(|b| b.is_ascii_uppercase())
            || text[range.end..].starts_with(['(', '（'])
        {
            return false;
        }
        let labels: Vec<&str> = host.split('.').collect();
        let tld = labels.last().copied().unwrap_or("");
        // A site stamps its own front door: `www.site.com`, `m.site.cn`, `site.com`,
        // `site.com.cn`. A host deeper than that (`release.debian.org`) names a service the
        // text is about, and is cited as often as the text needs it.
        let site_like = match labels.as_slice() {
            ["www" | "m" | "wap", _, ..] => labels.len() <= 4,
            // A two-label host under another ending is a platform (`github.io`), not a site.
            [_, _] => matches!(tld, "com" | "cn" | "net" | "org"),
            [_, second, _] => SECOND_LEVEL_UNDER_COUNTRY.contains(second) && tld.len() == 2,
            _ => false,
        };
        labels.len() >= 2 && site_like && self.tlds.contains(tld)
    }
}

/// Whether `text` has a `.` between two ASCII letters or digits, as every match of [`DOMAIN`]
/// has (its first label ends with one, the next starts with one).
fn has_dotted_name(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'.', bytes).any(|at| {
        at > 0
            && bytes[at - 1].is_ascii_alphanumeric()
            && bytes.get(at + 1).is_some_and(u8::is_ascii_alphanumeric)
    })
}

/// Second-level labels under a country code that a site registers beneath (`site.com.cn`).
const SECOND_LEVEL_UNDER_COUNTRY: &[&str] = &["com", "net", "org", "gov", "edu", "co"];

/// Whether `ranges` (sorted, not overlapping) cover everything in `text` but whitespace, and
/// there is at least one.
fn covers_all_but_whitespace<'a>(
    text: &str,
    ranges: impl Iterator<Item = &'a Range<usize>>,
) -> bool {
    let mut any = false;
    let mut last = 0;
    for range in ranges {
        if !text[last.min(range.start)..range.start].trim().is_empty() {
            return false;
        }
        any = true;
        last = last.max(range.end);
    }
    any && text[last..].trim().is_empty()
}

/// A built-in pattern, compiled the first time a line needs it. Compiling them all took most
/// of rinse's start-up (about 15 ms), and many inputs never reach most of them: only short
/// lines are matched against the furniture patterns, only lines with a `.` or a source word
/// against the watermark ones.
struct Compiled<T> {
    compile: fn() -> T,
    cell: OnceLock<T>,
}

impl<T> Compiled<T> {
    fn new(compile: fn() -> T) -> Compiled<T> {
        Compiled {
            compile,
            cell: OnceLock::new(),
        }
    }

    fn get(&self) -> &T {
        self.cell.get_or_init(self.compile)
    }
}

/// Compiles one built-in pattern (a bug in this file if it fails).
fn builtin(pattern: &str) -> Regex {
    RegexBuilder::new(pattern)
        .size_limit(PATTERN_SIZE_LIMIT)
        .build()
        .unwrap_or_else(|e| panic!("built-in boilerplate pattern {pattern}: {e}"))
}

/// A list of built-in line patterns, each compiled the first time a line holds every group of
/// its [`LinePattern::needs`]: most inputs need a few of them, and a pattern costs up to
/// several million instructions to compile.
struct PatternSet {
    patterns: &'static [LinePattern],
    /// Per pattern, per group of its needs: the bits of the group's strings in [`Triggers`].
    needs: Vec<Vec<u128>>,
    /// The bits of every pattern's first group of needs: a line with none of them can match
    /// no pattern.
    any_first_group: u128,
    /// Per pattern, its [`LinePattern::starts`].
    openings: Vec<Option<Openings>>,
    compiled: Vec<OnceLock<Regex>>,
}

impl PatternSet {
    fn new(patterns: &'static [LinePattern], triggers: &Triggers) -> PatternSet {
        let needs: Vec<Vec<u128>> = patterns
            .iter()
            .map(|pattern| {
                assert!(!pattern.needs.is_empty(), "{} needs nothing", pattern.regex);
                pattern
                    .needs
                    .iter()
                    .map(|group| triggers.mask(group))
                    .collect()
            })
            .collect();
        PatternSet {
            patterns,
            any_first_group: needs.iter().fold(0, |any, groups| any | groups[0]),
            needs,
            openings: patterns
                .iter()
                .map(|pattern| {
                    pattern
                        .starts
                        .map(|starts| Openings::new(starts.iter().copied()))
                })
                .collect(),
            compiled: patterns.iter().map(|_| OnceLock::new()).collect(),
        }
    }

    /// The index of the first pattern that matches `core` (a trimmed line), whose trigger
    /// strings are `found` ([`Triggers::find`]). A pattern without its needs, or anchored and
    /// opening otherwise than `core` ([`LinePattern::starts`]), cannot match, and is not tried.
    fn first_match(&self, core: &str, found: u128) -> Option<usize> {
        if found & self.any_first_group == 0 {
            return None;
        }
        let mut chars = core.chars();
        let first = chars.next()?;
        let second = chars.next();
        (0..self.patterns.len()).find(|&index| {
            has_all(found, &self.needs[index])
                && self.openings[index]
                    .as_ref()
                    .is_none_or(|openings| openings.may_open(first, second))
                && self.regex(index).is_match(core)
        })
    }

    fn regex(&self, index: usize) -> &Regex {
        self.compiled[index].get_or_init(|| builtin(self.patterns[index].regex))
    }
}

/// Whether `found` has a string of every group in `needs` (bits of [`Triggers`]).
fn has_all(found: u128, needs: &[u128]) -> bool {
    needs.iter().all(|group| group & found != 0)
}

/// A set of strings found in a line in one pass, ASCII case ignored, as a mask of one bit per
/// string. [`Boilerplate::triggers`] holds every string a built-in check cannot do without,
/// [`Anywhere`] those a quick look needs (see [`Boilerplate::look`]).
///
/// The pass looks each character up in a bitmap (an ASCII character together with the byte
/// after it, since English words share their first letters); only where a string may start
/// are the strings with that first character compared, eight bytes at a time. Every string
/// starts in the Basic Multilingual Plane.
struct Triggers {
    /// Bit `pair % 64` of word `pair / 64`, where `pair` is an ASCII byte times 256 plus the
    /// byte after it (0 at the end of the line): whether a string may start there.
    ascii_pairs: Box<[u64; 128 * 256 / 64]>,
    /// Bit `c % 64` of word `c / 64`: whether a string starts with the non-ASCII `c`.
    first_chars: Box<[u64; (1 << 16) / 64]>,
    /// For each word of [`Self::first_chars`], the bits set in the words before it: with the
    /// bits below `c` in its own word, the rank of the first character `c`.
    ranks: Box<[u16; (1 << 16) / 64]>,
    /// The strings that start with each ASCII character (lowercased), then with each
    /// non-ASCII first character by rank: a range of [`Self::heads`].
    groups: Vec<Range<usize>>,
    heads: Vec<Head>,
    /// Whether a string starts with each ASCII byte: a cheaper look than
    /// [`Self::ascii_pairs`] for the many bytes that start none.
    ascii_starts: [bool; 128],
}

/// One trigger string, ready to be compared with the bytes of a line.
struct Head {
    string: String,
    /// Its first eight bytes (fewer, padded with zeros), ASCII lowercased, little-endian…
    prefix: u64,
    /// …the bytes of those that are its own…
    mask: u64,
    /// …and 0x20 at each ASCII letter: OR-ed into a line's bytes, it lowercases a letter
    /// there and makes nothing else equal to one.
    fold: u64,
    bit: u32,
}

impl Head {
    fn new(string: String, bit: u32) -> Head {
        let bytes = string.as_bytes();
        let (mut prefix, mut mask, mut fold) = ([0u8; 8], [0u8; 8], [0u8; 8]);
        for (i, &byte) in bytes.iter().take(8).enumerate() {
            prefix[i] = byte.to_ascii_lowercase();
            mask[i] = 0xFF;
            fold[i] = if byte.is_ascii_alphabetic() { 0x20 } else { 0 };
        }
        Head {
            string,
            prefix: u64::from_le_bytes(prefix),
            mask: u64::from_le_bytes(mask),
            fold: u64::from_le_bytes(fold),
            bit,
        }
    }

    /// Whether `rest` starts with the string, ASCII case ignored.
    fn starts(&self, rest: &[u8]) -> bool {
        let word = match rest.get(..8) {
            Some(eight) => u64::from_le_bytes(eight.try_into().expect("eight bytes")),
            None => {
                let mut padded = [0u8; 8];
                padded[..rest.len()].copy_from_slice(rest);
                u64::from_le_bytes(padded)
            }
        };
        let string = self.string.as_bytes();
        (word | self.fold) & self.mask == self.prefix
            && rest.len() >= string.len()
            && (string.len() <= 8 || rest[8..string.len()].eq_ignore_ascii_case(&string[8..]))
    }
}

/// Every string a built-in check cannot do without: the [`LinePattern::needs`] of
/// [`FURNITURE`] and [`FOOTER`], [`SOURCE_TRIGGERS`], [`SOURCE_NOTE_NEEDS`] and [`PIPES`].
fn every_trigger_string() -> Vec<String> {
    let pipes: Vec<String> = PIPES.iter().map(char::to_string).collect();
    let needs = FURNITURE
        .iter()
        .chain(FOOTER)
        .flat_map(|pattern| pattern.needs.iter().copied())
        .chain(SOURCE_NOTE_NEEDS.iter().copied())
        .chain([SOURCE_TRIGGERS]);
    let mut strings: Vec<String> = Vec::new();
    for string in needs
        .flatten()
        .copied()
        .chain(pipes.iter().map(String::as_str))
    {
        if !strings.iter().any(|known| known == string) {
            strings.push(string.to_string());
        }
    }
    strings
}

impl Triggers {
    /// The finder of `strings` (distinct, none empty, at most 128).
    fn new(strings: Vec<String>) -> Triggers {
        assert!(
            strings.len() <= 128,
            "more trigger strings than bits in a mask"
        );
        let mut ascii_pairs = Box::new([0u64; 128 * 256 / 64]);
        let mut first_chars = Box::new([0u64; (1 << 16) / 64]);
        let cases = |byte: u8| [byte.to_ascii_lowercase(), byte.to_ascii_uppercase()];
        for string in &strings {
            match *string.as_bytes() {
                [lead, ref rest @ ..] if lead.is_ascii() => {
                    // A one-byte string may start before any byte.
                    let nexts: Vec<u8> = match rest.first() {
                        Some(&second) => cases(second).to_vec(),
                        None => (0..=255).collect(),
                    };
                    for lead in cases(lead) {
                        for &next in &nexts {
                            let pair = (lead as usize) << 8 | next as usize;
                            ascii_pairs[pair / 64] |= 1 << (pair % 64);
                        }
                    }
                }
                _ => {
                    let code = string.chars().next().expect("an empty trigger string") as usize;
                    assert!(code < 1 << 16, "trigger {string} starts beyond the BMP");
                    first_chars[code / 64] |= 1 << (code % 64);
                }
            }
        }
        let mut ranks = Box::new([0u16; (1 << 16) / 64]);
        let mut below = 0;
        for (rank, word) in ranks.iter_mut().zip(first_chars.iter()) {
            *rank = below;
            below += word.count_ones() as u16;
        }
        let mut ascii_starts = [false; 128];
        for lead in strings.iter().filter_map(|string| string.bytes().next()) {
            if lead.is_ascii() {
                ascii_starts[lead.to_ascii_lowercase() as usize] = true;
                ascii_starts[lead.to_ascii_uppercase() as usize] = true;
            }
        }
        let mut triggers = Triggers {
            ascii_pairs,
            first_chars,
            ranks,
            groups: vec![0..0; 128 + below as usize],
            heads: Vec::with_capacity(strings.len()),
            ascii_starts,
        };
        let mut heads: Vec<(usize, Head)> = (0..)
            .zip(strings)
            .map(|(bit, string)| {
                let first = string.chars().next().expect("an empty trigger string");
                (triggers.group(first), Head::new(string, bit))
            })
            .collect();
        heads.sort_by_key(|(group, _)| *group);
        for (index, (group, head)) in heads.into_iter().enumerate() {
            let range = &mut triggers.groups[group];
            if range.start == range.end {
                *range = index..index;
            }
            range.end = index + 1;
            triggers.heads.push(head);
        }
        triggers
    }

    /// The group of the strings that start with `first`: an ASCII character lowercased, or
    /// 128 plus the rank of a non-ASCII one among [`Self::first_chars`].
    fn group(&self, first: char) -> usize {
        if first.is_ascii() {
            first.to_ascii_lowercase() as usize
        } else {
            self.rank_group(first as usize)
        }
    }

    /// The group of the non-ASCII first character `code` (of the BMP).
    fn rank_group(&self, code: usize) -> usize {
        let below = self.first_chars[code / 64] & ((1 << (code % 64)) - 1);
        128 + self.ranks[code / 64] as usize + below.count_ones() as usize
    }

    /// The bits of `group`'s strings.
    fn mask(&self, group: &[impl AsRef<str>]) -> u128 {
        group
            .iter()
            .map(|string| {
                let head = self
                    .heads
                    .iter()
                    .find(|head| head.string == string.as_ref())
                    .unwrap_or_else(|| panic!("{} is not a trigger string", string.as_ref()));
                1u128 << head.bit
            })
            .fold(0, |mask, bit| mask | bit)
    }

    /// The bits of every string that occurs in `text`.
    fn find(&self, text: &str) -> u128 {
        let mut found = 0;
        let bytes = text.as_bytes();
        let mut at = 0;
        // `text` is UTF-8: `at` is the first byte of a character, or a continuation byte after
        // a character beyond the BMP (where no string starts), which is stepped over one byte
        // at a time.
        while let Some(&lead) = bytes.get(at) {
            at += match lead {
                0..0x80 => {
                    if self.ascii_starts[lead as usize] {
                        let next = bytes.get(at + 1).map_or(0, |&byte| byte as usize);
                        let pair = (lead as usize) << 8 | next;
                        if self.ascii_pairs[pair / 64] & (1 << (pair % 64)) != 0 {
                            let group = lead.to_ascii_lowercase() as usize;
                            found |= self.found_at(&bytes[at..], group);
                        }
                    }
                    1
                }
                // A character's word of `first_chars` is its code point over 64.
                0xE0..0xF0 => {
                    let (second, third) = (bytes[at + 1] as usize, bytes[at + 2] as usize);
                    let word = (lead as usize & 0x0F) << 6 | (second & 0x3F);
                    let bit = third & 0x3F;
                    if self.first_chars[word] & (1 << bit) != 0 {
                        found |= self.found_at(&bytes[at..], self.rank_group(word << 6 | bit));
                    }
                    3
                }
                0xC0..0xE0 => {
                    let (word, bit) = (lead as usize & 0x1F, bytes[at + 1] as usize & 0x3F);
                    if self.first_chars[word] & (1 << bit) != 0 {
                        found |= self.found_at(&bytes[at..], self.rank_group(word << 6 | bit));
                    }
                    2
                }
                _ => 1,
            };
        }
        found
    }

    /// The bits of the strings of `group` that start `rest`.
    fn found_at(&self, rest: &[u8], group: usize) -> u128 {
        self.heads[self.groups[group].clone()]
            .iter()
            .filter(|head| head.starts(rest))
            .fold(0, |found, head| found | 1 << head.bit)
    }
}

/// Whether a line has one of a few strings ([`anywhere_strings`]), ASCII case ignored: the
/// answer of [`Triggers::find`] (not zero), got the quick way. A line long enough for a SIMD
/// search is first searched for what every occurrence of a string holds (see
/// [`Anywhere::new`]); only a line where that turns up is looked at character by character.
/// Most lines have none of the strings, and this search costs them a few instructions per
/// 16 or 32 bytes instead of several per character.
struct Anywhere {
    triggers: Triggers,
    /// The first three bytes of each string in every ASCII case (a string without letters:
    /// the whole string), searched for together.
    prefixes: aho_corasick::packed::Searcher,
    /// The first byte of each string shorter than three bytes, in every ASCII case (at most
    /// three, for `memchr3`).
    short_leads: [u8; 3],
}

impl Anywhere {
    fn new(strings: Vec<String>) -> Anywhere {
        let mut prefixes = aho_corasick::packed::Config::new().builder();
        let mut short_leads: Vec<u8> = Vec::new();
        for string in &strings {
            let bytes = string.as_bytes();
            if bytes.len() < 3 {
                short_leads.extend(ascii_cases(bytes[0]));
            } else if bytes.iter().any(u8::is_ascii_alphabetic) {
                prefixes.extend(ascii_case_variants(&bytes[..3]));
            } else {
                prefixes.add(bytes);
            }
        }
        short_leads.sort_unstable();
        short_leads.dedup();
        assert!(
            !short_leads.is_empty() && short_leads.len() <= 3,
            "{short_leads:?}: not one to three bytes for memchr3"
        );
        let lead = |i: usize| short_leads[i.min(short_leads.len() - 1)];
        Anywhere {
            triggers: Triggers::new(strings),
            prefixes: prefixes.build().expect("prefixes of the anywhere strings"),
            short_leads: [lead(0), lead(1), lead(2)],
        }
    }

    /// Whether `text` has one of the strings: `self.triggers.find(text) != 0`.
    fn occurs_in(&self, text: &str) -> bool {
        let bytes = text.as_bytes();
        let [a, b, c] = self.short_leads;
        let may_occur = bytes.len() < self.prefixes.minimum_len()
            || memchr::memchr3(a, b, c, bytes).is_some()
            || self.prefixes.find(bytes).is_some();
        may_occur && self.triggers.find(text) != 0
    }
}

/// `bytes` in every ASCII case: `aB` → `ab`, `aB`, `Ab`, `AB`.
fn ascii_case_variants(bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut variants = vec![Vec::new()];
    for &byte in bytes {
        let cases = ascii_cases(byte);
        variants = variants
            .iter()
            .flat_map(|variant| {
                cases.iter().map(move |&case| {
                    let mut longer = variant.clone();
                    longer.push(case);
                    longer
                })
            })
            .collect();
    }
    variants
}

/// `byte` in its ASCII cases (one or two bytes).
fn ascii_cases(byte: u8) -> Vec<u8> {
    let mut cases = vec![byte.to_ascii_lowercase(), byte.to_ascii_uppercase()];
    cases.dedup();
    cases
}

/// The first and the last character of each key of a phrase list (see [`squeeze`]), sorted:
/// a line whose key starts or ends with another character is none of the phrases, and is not
/// squeezed and looked up.
struct KeyEnds {
    first: Vec<char>,
    last: Vec<char>,
}

impl KeyEnds {
    fn new<'a>(keys: impl Iterator<Item = &'a String>) -> KeyEnds {
        let (mut first, mut last): (Vec<char>, Vec<char>) = keys
            .filter_map(|key| Some((key.chars().next()?, key.chars().next_back()?)))
            .unzip();
        for ends in [&mut first, &mut last] {
            ends.sort_unstable();
            ends.dedup();
        }
        KeyEnds { first, last }
    }

    /// Whether `squeeze(text)` may be one of the keys: it starts and ends as one does. The
    /// key's first character is the first one after the decoration at the start that
    /// [`squeeze`] keeps, its last the last one before the decoration at the end.
    fn may_be_key_of(&self, text: &str) -> bool {
        let kept = |c: &char| !is_squeezed_out(*c);
        let first = text.trim_start_matches(is_decoration).chars().find(kept);
        let Some(first) = first.map(|c| c.to_ascii_lowercase()) else {
            return false;
        };
        if self.first.binary_search(&first).is_err() {
            return false;
        }
        let last = text
            .trim_end_matches(is_decoration)
            .chars()
            .rev()
            .find(kept);
        last.is_some_and(|c| self.last.binary_search(&c.to_ascii_lowercase()).is_ok())
    }
}

/// Compiles the user's patterns, with a message that says which one is wrong and where it is.
fn user_patterns(patterns: &[String]) -> Result<Vec<Regex>, Error> {
    patterns
        .iter()
        .map(|p| {
            RegexBuilder::new(p).size_limit(PATTERN_SIZE_LIMIT).build().map_err(|e| {
                let e = describe_regex_error(&e);
                Error::Config(format!(
                    "boilerplate pattern '{p}' is not a valid regex: {e}; check the [boilerplate] section of the config file"
                ))
            })
        })
        .collect()
}

/// A regex error on one line: the parser's own message spans several lines (the pattern, a
/// caret, the error), which reads badly inside `rinse: …`.
fn describe_regex_error(e: &regex::Error) -> String {
    match e {
        regex::Error::Syntax(text) => {
            let last = text
                .lines()
                .rev()
                .find(|line| !line.trim().is_empty())
                .unwrap_or(text);
            last.trim().trim_start_matches("error:").trim().to_string()
        }
        regex::Error::CompiledTooBig(limit) => {
            format!("it is too complex (it compiles to more than {limit} bytes); make it simpler")
        }
        other => other.to_string(),
    }
}

/// What a line is, on its own.
#[derive(Debug)]
enum Kind {
    Blank,
    Content,
    /// Matches a user `keep` pattern: never dropped, never changed.
    Protected,
    /// Starts a trailing section; the reason names it.
    Heading(Cow<'static, str>),
    /// Furniture wherever it is.
    Furniture(Cow<'static, str>),
}

/// A line's classification made ahead of time by [`Boilerplate::preclassify`].
pub struct Classified {
    /// [`Boilerplate::look`] of the line, for its watermarks.
    look: Look,
    kind: Kind,
}

/// What [`BoilerplateState::judge`] made of a line from its text, for
/// [`BoilerplateState::place`].
pub struct Judged {
    /// Whether the line is, or follows, a piece of a line cut for length.
    piece: bool,
    /// What the line is; None when watermarks are cut out of it (the spans are in
    /// [`BoilerplateState::spans`]), and what is left is judged anew.
    kind: Option<Kind>,
}

/// A possible trailing section, held back until its end shows what it is.
struct Section {
    reason: Cow<'static, str>,
    held: Vec<(Line, Kind)>,
    bytes: usize,
}

/// What becomes of a line.
pub enum Verdict {
    Keep(Line),
    /// The line is dropped; the change records it.
    Drop(Line, Change),
}

/// Per-document state: lines held back while a possible trailing section is open, and the
/// watermark counts.
pub struct BoilerplateState<'b> {
    rules: &'b Boilerplate,
    section: Option<Section>,
    /// Whether a line with content has been kept: a heading before that starts no section.
    seen_content: bool,
    /// Whether the previous line was a piece of a longer line ([`LineEnding::Continued`]).
    after_piece: bool,
    /// Whether the document has had Chinese text (watermarks are looked for only then).
    chinese: bool,
    watermarks: HashMap<String, u32>,
    spans: Vec<Range<usize>>,
    scratch: String,
}

impl<'b> BoilerplateState<'b> {
    pub fn new(rules: &'b Boilerplate) -> BoilerplateState<'b> {
        BoilerplateState {
            rules,
            section: None,
            seen_content: false,
            after_piece: false,
            chinese: false,
            watermarks: HashMap::new(),
            spans: Vec::new(),
            scratch: String::new(),
        }
    }

    /// Takes the next line; appends to `out` the verdicts on every line now decided, in order.
    pub fn push(&mut self, line: Line, out: &mut Vec<Verdict>) {
        self.push_classified(line, None, out);
    }

    /// [`push`](Self::push) for a line that [`Boilerplate::preclassify`] has already looked
    /// at (on a worker thread); `class` is used unless a watermark is removed from the line.
    pub fn push_classified(
        &mut self,
        line: Line,
        class: Option<Classified>,
        out: &mut Vec<Verdict>,
    ) {
        let judged = self.judge(&line.text, line.ending, class);
        self.place(line, judged, out);
    }

    /// [`push_classified`](Self::push_classified) without taking the line, for the many lines
    /// that are kept as they are at once: then the line is done with (its verdict is Keep,
    /// nothing before it is held back), and the caller passes `text` on as it is. Otherwise
    /// the caller hands the line, owned, to [`place`](Self::place) with what this returns.
    pub fn pass_borrowed(
        &mut self,
        text: &str,
        ending: LineEnding,
        class: Option<Classified>,
    ) -> Result<(), Judged> {
        let judged = self.judge(text, ending, class);
        let kept_at_once = self.section.is_none()
            && match &judged.kind {
                Some(Kind::Blank | Kind::Content | Kind::Protected) => true,
                Some(Kind::Heading(_)) => !self.seen_content,
                Some(Kind::Furniture(_)) | None => false,
            };
        if kept_at_once {
            self.note_kept(text);
            Ok(())
        } else {
            Err(judged)
        }
    }

    /// The first half of [`push_classified`](Self::push_classified): what the line is, from
    /// its text, with the watermark counts brought up to date.
    fn judge(&mut self, text: &str, ending: LineEnding, class: Option<Classified>) -> Judged {
        // The pieces of a line cut for length are content: a piece is not a whole line, so no
        // whole-line rule applies to it.
        let piece = self.after_piece || ending == LineEnding::Continued;
        self.after_piece = ending == LineEnding::Continued;
        let (look, class_kind) = match class {
            Some(Classified { look, kind }) => (Some(look), Some(kind)),
            None => (None, None),
        };
        let protected = match &class_kind {
            Some(kind) => matches!(kind, Kind::Protected),
            None => self.rules.is_protected(text),
        };
        if protected {
            return Judged {
                piece,
                kind: Some(Kind::Protected),
            };
        }
        if text.trim_start().is_empty() {
            // What the checks below make of a blank line (no watermark, no Chinese), for the
            // many blank lines between paragraphs, without them.
            self.spans.clear();
            let kind = if piece { Kind::Content } else { Kind::Blank };
            return Judged {
                piece,
                kind: Some(kind),
            };
        }
        let look = look.unwrap_or_else(|| self.rules.look(text));
        self.rules.find_watermarks(
            text,
            look,
            &mut self.chinese,
            &mut self.watermarks,
            &mut self.spans,
        );
        let kind = if covers_all_but_whitespace(text, self.spans.iter()) {
            // Nothing but watermarks: the line is dropped as it is.
            Some(Kind::Furniture(Cow::Borrowed(WATERMARK_REASON)))
        } else if !self.spans.is_empty() {
            None
        } else if piece {
            Some(Kind::Content)
        } else {
            Some(match class_kind {
                Some(kind) => kind,
                None => self.rules.classify(text, Some(look), &mut self.scratch),
            })
        };
        Judged { piece, kind }
    }

    /// The second half of [`push_classified`](Self::push_classified): the line, judged, goes
    /// into a held section, starts one, or is decided.
    pub fn place(&mut self, mut line: Line, judged: Judged, out: &mut Vec<Verdict>) {
        let Judged { piece, kind } = judged;
        let kind = match kind {
            Some(kind) => kind,
            None => {
                self.cut_watermarks(&mut line);
                // Removing a watermark shortens the line; then what is left is judged anew.
                if piece {
                    Kind::Content
                } else {
                    self.rules.classify(&line.text, None, &mut self.scratch)
                }
            }
        };

        if let Some(section) = &mut self.section {
            let tail_like = match &kind {
                Kind::Blank | Kind::Heading(_) | Kind::Furniture(_) => true,
                Kind::Content | Kind::Protected => {
                    !piece && !self.rules.looks_like_prose(&line.text)
                }
            };
            if tail_like {
                section.bytes += line.text.len();
                section.held.push((line, kind));
                if section.held.len() > MAX_HELD_LINES || section.bytes > MAX_HELD_BYTES {
                    self.release(out);
                }
                return;
            }
            self.release(out);
        }

        match kind {
            Kind::Heading(reason) if self.seen_content => {
                // The heading is held as a plain line: released, it stays like any line;
                // dropped, it goes with the section's reason.
                let bytes = line.text.len();
                self.section = Some(Section {
                    reason,
                    held: vec![(line, Kind::Blank)],
                    bytes,
                });
            }
            kind => self.settle(line, kind, out),
        }
    }

    /// Ends the document: a section still open ran to the end with nothing but short or
    /// link-like lines, so it is dropped (all but lines the user protected).
    pub fn finish(&mut self, out: &mut Vec<Verdict>) {
        let Some(section) = self.section.take() else {
            return;
        };
        for (line, kind) in section.held {
            let reason = match kind {
                Kind::Protected => {
                    out.push(Verdict::Keep(line));
                    continue;
                }
                Kind::Furniture(reason) => reason,
                _ => section.reason.clone(),
            };
            let change = line.whole_line_change(RuleId::Boilerplate, "", reason);
            out.push(Verdict::Drop(line, change));
        }
    }

    /// Releases a held section as content: each line is judged on its own.
    fn release(&mut self, out: &mut Vec<Verdict>) {
        if let Some(section) = self.section.take() {
            for (line, kind) in section.held {
                self.settle(line, kind, out);
            }
        }
    }

    /// Decides a line on its own: furniture goes, anything else stays.
    fn settle(&mut self, line: Line, kind: Kind, out: &mut Vec<Verdict>) {
        match kind {
            Kind::Furniture(reason) => {
                let change = line.whole_line_change(RuleId::Boilerplate, "", reason);
                out.push(Verdict::Drop(line, change));
            }
            _ => {
                self.note_kept(&line.text);
                out.push(Verdict::Keep(line));
            }
        }
    }

    /// Notes that a line is kept: a heading after content starts a section.
    fn note_kept(&mut self, text: &str) {
        self.seen_content = self.seen_content || !text.trim().is_empty();
    }

    /// Cuts the watermarks [`Self::judge`] found (in [`Self::spans`]) out of `line`,
    /// recording a change for each.
    fn cut_watermarks(&mut self, line: &mut Line) {
        let mut text = String::with_capacity(line.text.len());
        let mut last = 0;
        for span in &self.spans {
            line.changes.push(Change {
                rule: RuleId::Boilerplate,
                line: line.number,
                column: line.text[..span.start].chars().count() + 1,
                offset: span.start,
                before: line.text[span.clone()].to_string(),
                after: String::new(),
                reason: Cow::Borrowed(WATERMARK_REASON),
            });
            text.push_str(&line.text[last..span.start]);
            last = span.end;
        }
        text.push_str(&line.text[last..]);
        line.text = text;
    }
}

/// The key a heading, prompt or navigation word is looked up by: decoration, colons and
/// brackets at either end removed, spaces and commas inside removed, ASCII lowercased.
/// `【相关阅读】：` → `相关阅读`; `Read more…` → `readmore`; `打开APP，阅读全文` → `打开app阅读全文`.
fn squeeze(text: &str, out: &mut String) {
    out.clear();
    let core = text.trim_matches(is_decoration);
    out.extend(
        core.chars()
            .filter(|&c| !is_squeezed_out(c))
            .map(|c| c.to_ascii_lowercase()),
    );
}

/// What [`squeeze`] removes inside a key.
fn is_squeezed_out(c: char) -> bool {
    c.is_whitespace() || matches!(c, '，' | ',' | '、')
}

/// Characters that decorate a heading or button without being part of it.
fn is_decoration(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '【' | '】'
                | '['
                | ']'
                | '〔'
                | '〕'
                | '〖'
                | '〗'
                | '「'
                | '」'
                | '『'
                | '』'
                | '('
                | ')'
                | '（'
                | '）'
                | '<'
                | '>'
                | '＜'
                | '＞'
                | '《'
                | '》'
                | '«'
                | '»'
                | '‹'
                | '›'
                | '■'
                | '□'
                | '▲'
                | '△'
                | '▼'
                | '▽'
                | '►'
                | '▶'
                | '◀'
                | '◆'
                | '◇'
                | '●'
                | '○'
                | '◎'
                | '★'
                | '☆'
                | '→'
                | '←'
                | '↓'
                | '↑'
                | '▌'
                | '▍'
                | '▎'
                | '▏'
                | '|'
                | '｜'
                | '丨'
                | ':'
                | '：'
                | '-'
                | '—'
                | '–'
                | '_'
                | '='
                | '＝'
                | '*'
                | '＊'
                | '#'
                | '＃'
                | '~'
                | '～'
                | '·'
                | '•'
                | '.'
                | '。'
                | '…'
                | '!'
                | '！'
                | '/'
        )
}

/// What may come before the first field of a byline (`【作者：…`).
fn is_byline_lead(c: char) -> bool {
    matches!(c, '【' | '[' | '（' | '(') || c.is_whitespace()
}

/// What separates the tokens of a line of page tools (`阅读(10万+) | 评论(3)`).
fn is_tool_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '|' | '｜'
                | '丨'
                | '/'
                | '·'
                | '•'
                | '：'
                | ':'
                | '('
                | ')'
                | '（'
                | '）'
                | '【'
                | '】'
                | '['
                | ']'
                | ','
                | '，'
                | '、'
        )
}

fn is_sentence_punct(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '，' | '；' | ',' | ';' | '!' | '?')
}

/// Whether a line is a sentence that merely mentions a footer phrase (and does not start with
/// one): it ends with a Chinese
/// full stop (例如京ICP备12345678号。), or with a full stop after at least
/// [`PROSE_MIN_WORDS`] English words (The book's copyright 1954 notice was never renewed.).
/// Footers end in a name or a number.
fn reads_as_a_sentence(core: &str) -> bool {
    let footer_start = ["版权所有", "©", "Copyright", "copyright", "COPYRIGHT"]
        .iter()
        .any(|p| core.starts_with(p));
    !footer_start
        && (core.ends_with('。')
            || (core.ends_with('.') && core.split_whitespace().count() >= PROSE_MIN_WORDS + 2))
}

/// Whether a sentence ends inside `core` (not at its end): footer and byline lines have none.
fn has_inner_sentence_end(core: &str) -> bool {
    const ENDS: [char; 3] = ['。', '！', '？'];
    let body = core.trim_end_matches(ENDS);
    // All three are encoded in three bytes, the first 0xE3 or 0xEF: only look there.
    memchr::memchr2_iter(0xE3, 0xEF, body.as_bytes()).any(|at| body[at..].starts_with(ENDS))
}

/// `1234`, `10万+`, `1.2k`, `123次`: a count next to a tool word.
fn is_counter(token: &str) -> bool {
    let digits = token.trim_end_matches(['+', '次', '人', '条', '万', '千', 'w', 'W', 'k', 'K']);
    !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.starts_with(|c: char| c.is_ascii_digit())
}

/// Display width, roughly: CJK and full-width characters count 2.
fn char_width(c: char) -> usize {
    if c >= '\u{2E80}' {
        2
    } else {
        1
    }
}

/// `（www.example.com）` → the brackets go with the domain.
fn widen_to_brackets(text: &str, range: Range<usize>) -> Range<usize> {
    let before = text[..range.start].chars().next_back();
    let after = text[range.end..].chars().next();
    match (before, after) {
        (Some(open @ ('（' | '(' | '【' | '[')), Some(close @ ('）' | ')' | '】' | ']'))) => {
            range.start - open.len_utf8()..range.end + close.len_utf8()
        }
        _ => range,
    }
}

/// Widens a removal so that it leaves no double space and no space at either end of the line.
fn swallow_spaces(text: &str, range: Range<usize>) -> Range<usize> {
    let before = &text[..range.start];
    let after = &text[range.end..];
    let after_spaces = after.len() - after.trim_start_matches(' ').len();
    let before_spaces = before.len() - before.trim_end_matches(' ').len();
    if after_spaces > 0 && (before.is_empty() || before_spaces > 0) {
        range.start..range.end + after_spaces
    } else if after.is_empty() {
        range.start - before_spaces..range.end
    } else {
        range
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Cleaner, Config, RuleSet};
    use regex_syntax::hir::{Class, Hir, HirKind, Look as HirLook};
    use std::collections::BTreeSet;
    use std::sync::OnceLock;

    /// The built-in rules, compiled once for all the tests.
    fn rules() -> &'static Boilerplate {
        static RULES: std::sync::OnceLock<Boilerplate> = std::sync::OnceLock::new();
        RULES.get_or_init(|| Boilerplate::new(&BoilerplatePatterns::default()).unwrap())
    }

    fn line(number: u64, text: &str) -> Line {
        Line {
            number,
            text: text.to_string(),
            ending: LineEnding::Lf,
            end_column: text.chars().count() + 1,
            changes: Vec::new(),
        }
    }

    /// Pushes `lines` through a fresh state; returns (kept texts, dropped texts with reasons).
    fn run_with(rules: &Boilerplate, lines: &[&str]) -> (Vec<String>, Vec<(String, String)>) {
        let mut state = BoilerplateState::new(rules);
        let mut out = Vec::new();
        for (i, text) in lines.iter().enumerate() {
            state.push(line(i as u64 + 1, text), &mut out);
        }
        state.finish(&mut out);
        assert_eq!(
            out.len(),
            lines.len(),
            "every line gets exactly one verdict"
        );
        let mut kept = Vec::new();
        let mut dropped = Vec::new();
        let mut number = 0;
        for verdict in out {
            let (l, drop) = match verdict {
                Verdict::Keep(l) => (l, None),
                Verdict::Drop(l, change) => (l, Some(change)),
            };
            assert!(l.number > number, "verdicts in line order");
            number = l.number;
            match drop {
                None => kept.push(l.text),
                Some(change) => {
                    assert_eq!(change.rule, RuleId::Boilerplate);
                    assert_eq!(change.before, l.text);
                    dropped.push((l.text, change.reason.into_owned()));
                }
            }
        }
        (kept, dropped)
    }

    fn run(lines: &[&str]) -> (Vec<String>, Vec<(String, String)>) {
        run_with(rules(), lines)
    }

    const PROSE: &str = "面对不断严峻的疫情形势，东营市委常委会召开扩大会议，对全市疫情防控工作进行再研究、再部署、再动员，坚持全市一盘棋统筹负责全市疫情防控工作。";

    /// The reason `text` is dropped when it stands alone between two paragraphs.
    fn dropped_alone(text: &str) -> Option<String> {
        let (_, dropped) = run(&[PROSE, text, PROSE]);
        dropped.into_iter().next().map(|(_, reason)| reason)
    }

    fn assert_dropped(text: &str, reason_part: &str) {
        match dropped_alone(text) {
            Some(reason) => assert!(
                reason.contains(reason_part),
                "{text:?} dropped as {reason:?}, expected {reason_part:?}"
            ),
            None => panic!("{text:?} was kept"),
        }
    }

    fn assert_kept(text: &str) {
        assert_eq!(dropped_alone(text), None, "{text:?} was dropped");
        // And at the end of a document, where a heading would hold it.
        let (_, dropped) = run(&[PROSE, text]);
        assert!(
            dropped.is_empty(),
            "{text:?} was dropped at the end: {dropped:?}"
        );
    }

    fn seed_lines() -> Vec<String> {
        let input = include_str!("../../fixtures/seed/input.txt");
        input
            .split('\n')
            .map(|l| l.trim_end_matches(char::is_whitespace).to_string())
            .collect()
    }

    #[test]
    fn built_in_patterns_compile() {
        let rules = rules();
        for set in [&rules.furniture, &rules.footer] {
            for index in 0..set.patterns.len() {
                set.regex(index);
            }
        }
        rules.byline_field.get();
        rules.url.get();
        rules.domain.get();
        rules.source_note.get();
    }

    #[test]
    fn seed_tail_is_dropped_and_nothing_else() {
        let lines = seed_lines();
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let (kept, dropped) = run(&refs);
        let dropped_texts: Vec<&str> = dropped.iter().map(|(text, _)| text.as_str()).collect();
        assert_eq!(dropped_texts, ["参考资料", "", "", "", "随机推荐"]);
        assert!(
            dropped
                .iter()
                .all(|(_, reason)| reason == "trailing section after 参考资料"),
            "{dropped:?}"
        );
        assert_eq!(kept.len(), lines.len() - 5);
        assert!(kept
            .iter()
            .rev()
            .find(|l| !l.is_empty())
            .unwrap()
            .ends_with("斗志"));
        assert!(kept.iter().any(|l| l.starts_with("哪里最需要")));
        assert!(kept.iter().any(|l| l.starts_with("“请战")));
    }

    #[test]
    fn seed_through_the_pipeline_ends_with_the_last_paragraph() {
        let mut rules = RuleSet::none();
        rules.insert(RuleId::Boilerplate);
        rules.insert(RuleId::Layout);
        let cleaner = Cleaner::new(Config {
            rules,
            ..Config::default()
        })
        .unwrap();
        let input = include_str!("../../fixtures/seed/input.txt");
        let (clean, changes) = cleaner.clean_with_changes(input);
        assert!(
            clean.ends_with("斗志\n"),
            "{:?}",
            &clean[clean.len() - 40..]
        );
        let boilerplate: Vec<_> = changes
            .iter()
            .filter(|c| c.rule == RuleId::Boilerplate)
            .collect();
        assert_eq!(boilerplate.len(), 5);
        assert_eq!(
            (boilerplate[0].line, boilerplate[0].before.as_str()),
            (73, "参考资料")
        );
    }

    #[test]
    fn trailing_headings_drop_what_follows() {
        for heading in [
            "参考资料",
            "【相关阅读】",
            "猜你喜欢：",
            "▼ 大家都在看",
            "延伸阅读",
            "Related Articles",
            "You may also like",
        ] {
            let (kept, dropped) = run(&[
                PROSE,
                "",
                heading,
                "东营：党旗在一线高高飘扬",
                "https://example.com/a/1.html",
                "",
                "· 疫情防控的十个问答",
            ]);
            // The blank line before the heading is content's; layout drops it at the end.
            assert_eq!(kept, [PROSE, ""], "{heading}");
            assert_eq!(dropped.len(), 5, "{heading}");
        }
    }

    #[test]
    fn module_doc_example() {
        let last = "一面面旗帜高高飘扬，焕发出战胜疫情的磅礴斗志";
        let (kept, dropped) = run(&[
            PROSE,
            last,
            "责任编辑：张三",
            "",
            "参考资料",
            "",
            "随机推荐",
            "东营：党旗在一线高高飘扬",
            "分享到：微信 微博 QQ空间",
        ]);
        // The blank line before the heading stays here; layout drops it at the end.
        assert_eq!(kept, [PROSE, last, ""]);
        assert_eq!(dropped.len(), 6);
    }

    #[test]
    fn every_builtin_phrase_is_recognised() {
        let sections: Vec<&str> = BUILTIN_PHRASES
            .lines()
            .filter_map(|l| l.strip_prefix('[').and_then(|rest| rest.strip_suffix(']')))
            .collect();
        assert_eq!(
            sections,
            [
                "headings",
                "prompts",
                "tool words",
                "share words",
                "nav words",
                "tlds"
            ]
        );
        for heading in builtin_phrases("headings") {
            let (kept, dropped) = run(&[PROSE, heading, "短标题"]);
            assert_eq!((kept.len(), dropped.len()), (1, 2), "{heading}");
        }
        for prompt in builtin_phrases("prompts") {
            assert_dropped(prompt, "prompt");
        }
        for word in builtin_phrases("share words") {
            assert!(
                rules().tool_words.contains(&word.to_ascii_lowercase()),
                "{word} is not a tool word"
            );
        }
    }

    #[test]
    fn trailing_heading_followed_by_a_paragraph_is_kept() {
        let lines = [
            PROSE,
            "相关阅读",
            "东营：党旗在一线高高飘扬",
            "",
            PROSE,
            "短标题",
        ];
        let (kept, dropped) = run(&lines);
        assert!(dropped.is_empty(), "{dropped:?}");
        assert_eq!(kept.len(), lines.len());
        // A sentence counts as content even when short.
        let (_, dropped) = run(&[PROSE, "参考资料", "他后来在信里说，这些书都是父亲留下的。"]);
        assert!(dropped.is_empty(), "{dropped:?}");
        let english =
            "The committee met again on Friday and agreed to publish the full report next month.";
        let (_, dropped) = run(&[PROSE, "Recommended", english]);
        assert!(dropped.is_empty(), "{dropped:?}");
    }

    #[test]
    fn heading_in_running_text_is_not_a_section() {
        // The same words inside a sentence, and a heading before any content.
        assert_kept("他在文章末尾列出了参考资料，供读者进一步阅读。");
        let (kept, _) = run(&["参考资料", "[1] 某某：《某书》"]);
        assert_eq!(kept.len(), 2);
    }

    #[test]
    fn references_in_a_paper_stay() {
        let (_, dropped) = run(&[
            PROSE,
            "参考文献",
            "[1] 张三. 疫情防控研究[J]. 公共卫生, 2020, 36(2): 1-5.",
        ]);
        assert!(dropped.is_empty(), "{dropped:?}");
    }

    #[test]
    fn holding_is_bounded() {
        let mut state = BoilerplateState::new(rules());
        let mut out = Vec::new();
        state.push(line(1, PROSE), &mut out);
        state.push(line(2, "参考资料"), &mut out);
        let mut most_held = 0;
        for n in 0..100_000u64 {
            state.push(line(n + 3, "短标题"), &mut out);
            let held = state.section.as_ref().map_or(0, |s| s.held.len());
            most_held = most_held.max(held);
        }
        assert!(most_held <= MAX_HELD_LINES + 1, "{most_held}");
        assert!(
            out.len() >= 100_000 - MAX_HELD_LINES,
            "lines were released as they came"
        );
        state.finish(&mut out);
        assert_eq!(out.len(), 100_002);
        assert!(out
            .iter()
            .take(MAX_HELD_LINES)
            .all(|v| matches!(v, Verdict::Keep(_))));

        // The byte cap, with long link lines.
        let mut state = BoilerplateState::new(rules());
        let mut out = Vec::new();
        state.push(line(1, PROSE), &mut out);
        state.push(line(2, "参考资料"), &mut out);
        let link = format!("https://example.com/{}", "a".repeat(1000));
        for n in 0..100u64 {
            state.push(line(n + 3, &link), &mut out);
        }
        assert!(state.section.as_ref().map_or(0, |s| s.bytes) <= MAX_HELD_BYTES);
        assert!(!out.is_empty());
    }

    #[test]
    fn clean_long_texts_lose_nothing() {
        let chinese = [
            "　　山东东营市各级党组织和广大党员干部投身疫情防控阻击战纪实",
            "",
            "越是重要关头越能映照初心；越在关键时刻，越显担当精神。连日来，山东东营市各级党组织和广大党员干部坚定信心、冲锋在前。",
            "哪里最需要，党旗就矗立在哪里",
            "“请战，我是***员。”",
            "“我是党员我先行。”",
            "（完）",
            "山东省东营市疫情最新消息东营市各级党组织投身疫情防控阻击战",
            "原标题：山东东营市各级党组织投身疫情防控阻击战纪实",
            "作者：李白",
            "时间：2020年1月23日",
            "地点：东营市会议中心",
            "首页设计得很简洁，用户进入后可以直接搜索。",
            "本书版权所有者是作者本人，转载须经许可。",
            "关注民生是政府的责任。",
            "关注我们的孩子成长，是全社会的责任。",
            "上篇讲到他离开了家乡",
            "编辑部的同事们都来了",
            "分享是一种美德。",
            "他扫一扫就付了钱。",
            "访问 www.gov.cn 查询政策原文。",
            "张三 | 25 | 北京 | 工程师",
            "| 首页 | 新闻 | 体育 |",
            "未经许可，任何人不得进入该区域。",
            "阅读",
            "1234 5678",
            "下一步怎么办？",
            "他在文章末尾列出了参考资料，供读者进一步阅读。",
        ];
        let (kept, dropped) = run(&chinese);
        assert!(dropped.is_empty(), "{dropped:?}");
        assert_eq!(kept, chinese);

        let english = [
            "Next, we add the salt and let the dough rest for an hour.",
            "Share and comment on the draft before Friday.",
            "Home is where the heart is.",
            "The publisher reserved the right to reprint the essay in 1998.",
            "Copyright law protects the expression of ideas, not the ideas themselves.",
            "Posted letters arrive within three days.",
            "Visit example.com to see the full data set.",
            "Read more about it in the appendix, where the method is described.",
        ];
        let (kept, dropped) = run(&english);
        assert!(dropped.is_empty(), "{dropped:?}");
        assert_eq!(kept, english);
    }

    #[test]
    fn clean_fixtures_lose_nothing() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/clean");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return;
        };
        let mut failures = Vec::new();
        for entry in entries {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|ext| ext != "txt") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let lines: Vec<String> = text
                .lines()
                .map(|l| l.trim_end_matches(char::is_whitespace).to_string())
                .collect();
            let mut state = BoilerplateState::new(rules());
            let mut out = Vec::new();
            for (i, l) in lines.iter().enumerate() {
                state.push(line(i as u64 + 1, l), &mut out);
            }
            state.finish(&mut out);
            for verdict in out {
                match verdict {
                    Verdict::Drop(l, change) => failures.push(format!(
                        "{}:{}: dropped {:?} ({})",
                        path.display(),
                        l.number,
                        l.text,
                        change.reason
                    )),
                    Verdict::Keep(l) => {
                        for change in l.changes {
                            failures.push(format!(
                                "{}:{}: removed {:?}",
                                path.display(),
                                l.number,
                                change.before
                            ));
                        }
                    }
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn previous_next_links() {
        assert_dropped("上一篇：东营市召开疫情防控工作会议", "previous/next");
        assert_dropped("下一篇", "previous/next");
        assert_dropped("上一篇 下一篇", "previous/next");
        assert_dropped("« Previous Post", "previous/next");
        assert_dropped("Next post: How we built it", "previous/next");
        assert_kept("上篇讲到他离开了家乡，这一篇讲他回来。");
        assert_kept("Next, we add the salt and let the dough rest for an hour.");
    }

    #[test]
    fn bylines() {
        assert_dropped("责任编辑：张三", "byline");
        assert_dropped("【责任编辑：李四】", "byline");
        assert_dropped("（编辑 王五）", "byline");
        assert_dropped("编辑：赵六", "byline");
        assert_dropped("来源：新华网", "byline");
        assert_dropped("来源:大众网", "byline");
        assert_dropped("发布时间：2020-01-01", "byline");
        assert_dropped("发布时间：2020-01-28 10:32:05", "byline");
        assert_dropped("作者：张三 来源：新华网 时间：2020-01-01", "byline");
        assert_dropped("来源：东营日报 作者：李四 浏览次数：1234", "byline");
        assert_dropped("Posted by admin on January 1, 2020", "byline");
        assert_dropped("Published: 12 March 2021", "byline");
        assert_kept("编辑部的同事们在来源不明的消息面前保持了冷静，没有急于发布。");
        assert_kept("作者：李白");
        assert_kept("时间：2020年1月23日 地点：东营市会议中心");
        assert_kept("来源于生活，高于生活，这是他对艺术的理解。");
    }

    #[test]
    fn breadcrumbs() {
        assert_dropped("当前位置：首页 > 新闻 > 正文", "breadcrumb");
        assert_dropped("您的位置：首页>新闻中心>国内新闻", "breadcrumb");
        assert_dropped("首页 > 新闻 > 正文", "breadcrumb");
        assert_dropped("Home › World › Asia", "breadcrumb");
        assert_kept("首页设计得很简洁，用户进入后可以直接搜索。");
        assert_kept("他现在的位置很关键，大家都看着他。");
    }

    #[test]
    fn share_bars_and_page_tools() {
        assert_dropped("分享到：微信 微博 QQ空间", "share bar");
        assert_dropped("分享到：", "share bar");
        assert_dropped("分享：微信 | 微博", "share bar");
        assert_dropped("Share this:", "share bar");
        assert_dropped("Share Tweet Email", "share bar");
        assert_dropped("点赞 收藏 评论", "page tools");
        assert_dropped("阅读 1234", "page tools");
        assert_dropped("阅读(10万+) 评论(3)", "page tools");
        assert_dropped("【打印】【关闭】", "page tools");
        assert_kept("分享是一种美德，他一直这样教导孩子。");
        assert_kept("点赞和评论都很多，说明读者喜欢这篇文章。");
        assert_kept("阅读");
    }

    #[test]
    fn qr_code_and_follow_prompts() {
        assert_dropped("扫一扫，关注我们", "QR code");
        assert_dropped("扫描二维码关注东营发布", "QR code");
        assert_dropped("长按识别二维码", "QR code");
        assert_dropped("关注我们", "follow");
        assert_dropped("关注东营发布微信公众号，获取更多资讯。", "follow");
        assert_kept("他扫一扫就付了钱，整个过程不到十秒。");
        assert_kept("关注民生是政府的责任。");
        assert_kept("关注我们的孩子成长，是全社会的责任。");
    }

    #[test]
    fn copyright_and_licence_lines() {
        assert_dropped("Copyright © 2020 xxx All Rights Reserved", "copyright");
        assert_dropped("版权所有 ©东营日报社", "copyright");
        assert_dropped("版权所有，未经许可不得转载。", "copyright");
        assert_dropped("东营日报社版权所有", "copyright");
        assert_dropped("© 2021 Example Media", "copyright");
        assert_dropped("京ICP备12345678号", "ICP");
        assert_dropped("京ICP证000007号", "ICP");
        assert_dropped("京公网安备 11010502030000号", "公网安备");
        let footer = "Copyright © 2005-2020 新浪网 All Rights Reserved 新浪公司 版权所有 京ICP证000007 京公网安备11000002000016号 违法和不良信息举报电话：4000520066";
        assert!(footer.chars().count() > MAX_FURNITURE_CHARS);
        assert_dropped(footer, "copyright");
        assert_kept("本书版权所有者是作者本人，转载须经许可。");
        assert_kept("网站必须办理ICP备案后才能上线。");
        assert_kept("Copyright law protects the expression of ideas, not the ideas themselves.");
    }

    #[test]
    fn disclaimers() {
        assert_dropped("本文来源于网络，如有侵权请联系删除", "disclaimer");
        assert_dropped("本文转载自东营日报", "disclaimer");
        assert_dropped(
            "免责声明：本文仅代表作者个人观点，与本站无关。",
            "disclaimer",
        );
        assert_dropped("【免责声明】", "disclaimer");
        assert_dropped("转载请注明出处", "disclaimer");
        assert_dropped("图片来源于网络", "disclaimer");
        assert_kept("本文系统地介绍了疫情防控的经验，供各地参考。");
        assert_kept("声明：本人自愿参加志愿服务。");
        assert_kept("未经许可，任何人不得进入该区域。");
        let long = format!("本文来源于网络调查，{}", PROSE);
        assert_kept(&long);
    }

    #[test]
    fn navigation_bars() {
        assert_dropped("首页 | 新闻 | 体育 | 娱乐 | 联系我们", "navigation bar");
        assert_dropped("关于我们丨联系我们丨网站地图", "navigation bar");
        assert_dropped("Home | About | Contact", "navigation bar");
        assert_kept("张三 | 25 | 北京 | 工程师");
        assert_kept("| 首页 | 新闻 | 体育 |");
        assert_kept("首页设计得很简洁，用户进入后可以直接搜索。");
    }

    #[test]
    fn read_more_prompts() {
        for prompt in [
            "点击查看更多",
            "打开APP阅读全文",
            "打开APP，阅读全文",
            "展开全文",
            "返回搜狐，查看更多",
            "返回顶部",
            "展开剩余85%",
            "Continue reading",
            "Back to top",
        ] {
            assert_dropped(prompt, "prompt");
        }
        assert_kept("查看更多资料之后，他改变了主意，决定留下来继续工作。");
        assert_kept("（完）");
        assert_kept("(完)");
    }

    #[test]
    fn furniture_inside_a_held_section_keeps_its_own_reason() {
        let (kept, dropped) = run(&[PROSE, "相关推荐", "短标题", "京ICP备12345678号"]);
        assert_eq!(kept, [PROSE]);
        assert_eq!(dropped[2].1, "ICP licence line");
        assert_eq!(dropped[1].1, "trailing section after 相关推荐");
    }

    #[test]
    fn user_drop_cut_after_and_keep() {
        let user = BoilerplatePatterns {
            drop: vec!["^本文由.{1,20}整理$".into()],
            cut_after: vec!["^延伸内容$".into()],
            keep: vec!["^参考资料：见附录".into(), "^京ICP备12345678号$".into()],
        };
        let rules = Boilerplate::new(&user).unwrap();
        let (kept, dropped) = run_with(
            &rules,
            &[
                PROSE,
                "本文由东营日报整理",
                "京ICP备12345678号",
                PROSE,
                "延伸内容",
                "短标题",
            ],
        );
        assert_eq!(kept, [PROSE, "京ICP备12345678号", PROSE]);
        assert_eq!(
            dropped[0],
            (
                "本文由东营日报整理".to_string(),
                "user drop pattern".to_string()
            )
        );
        assert_eq!(
            dropped[1].1,
            "trailing section after 延伸内容 (user cut_after pattern)"
        );
        // A protected line inside a dropped section stays.
        let (kept, _) = run_with(&rules, &[PROSE, "参考资料", "参考资料：见附录"]);
        assert_eq!(kept, [PROSE, "参考资料：见附录"]);
    }

    #[test]
    fn bad_user_pattern_is_a_clear_error() {
        let user = BoilerplatePatterns {
            drop: vec!["(".into()],
            ..Default::default()
        };
        let Err(Error::Config(message)) = Boilerplate::new(&user) else {
            panic!("accepted a bad pattern")
        };
        assert_eq!(
            message,
            "boilerplate pattern '(' is not a valid regex: unclosed group; check the [boilerplate] section of the config file"
        );
        let user = BoilerplatePatterns {
            keep: vec![r"(?:\w{100}){100}".into()],
            ..Default::default()
        };
        let Err(Error::Config(message)) = Boilerplate::new(&user) else {
            panic!("accepted a huge pattern")
        };
        assert!(
            message.starts_with(
                r"boilerplate pattern '(?:\w{100}){100}' is not a valid regex: it is too complex"
            ),
            "{message}"
        );
    }

    #[test]
    fn repeated_watermark_is_removed_from_the_kth_occurrence() {
        let mut state = BoilerplateState::new(rules());
        let mut out = Vec::new();
        let texts = [
            "疫情就是命令，www.dyxw.com防控就是责任。",
            "党员干部冲锋在前（www.dyxw.com），守护群众安全。",
            "东营市委www.dyxw.com召开会议，研究部署防控工作。",
            "各级党组织 www.dyxw.com 迅速行动。",
            "全市上下众志成城www.dyxw.com",
            "详情请访问 www.gov.cn 查询。",
            "www.dyxw.com",
        ];
        for (i, text) in texts.iter().enumerate() {
            state.push(line(i as u64 + 1, text), &mut out);
        }
        state.finish(&mut out);
        // A line of nothing but the watermark goes as a whole.
        let Some(Verdict::Drop(last, change)) = out.pop() else {
            panic!("kept the bare watermark")
        };
        assert_eq!(
            (
                last.text.as_str(),
                change.before.as_str(),
                change.reason.as_ref()
            ),
            ("www.dyxw.com", "www.dyxw.com", WATERMARK_REASON)
        );
        assert!(last.changes.is_empty());
        let lines: Vec<Line> = out
            .into_iter()
            .map(|v| match v {
                Verdict::Keep(l) => l,
                Verdict::Drop(l, _) => panic!("dropped {l:?}"),
            })
            .collect();
        let texts_out: Vec<&str> = lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(
            texts_out,
            [
                "疫情就是命令，www.dyxw.com防控就是责任。",
                "党员干部冲锋在前（www.dyxw.com），守护群众安全。",
                "东营市委召开会议，研究部署防控工作。",
                "各级党组织 迅速行动。",
                "全市上下众志成城",
                "详情请访问 www.gov.cn 查询。",
            ]
        );
        let change = &lines[2].changes[0];
        assert_eq!(
            (change.rule, change.line, change.column, change.offset),
            (RuleId::Boilerplate, 3, 5, "东营市委".len())
        );
        assert_eq!(
            (change.before.as_str(), change.after.as_str()),
            ("www.dyxw.com", "")
        );
        assert!(lines[0].changes.is_empty() && lines[5].changes.is_empty());
    }

    #[test]
    fn repeated_source_note_is_removed_but_not_a_data_citation() {
        let note = "（来源：东营新闻网）";
        let lines: Vec<String> = (0..4).map(|i| format!("第{i}段正文{note}继续。")).collect();
        let mut refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        refs.push("本文来自东营新闻网");
        refs.push("（来源：国家统计局）数据显示增长");
        refs.push("（来源：国家统计局）数据显示下降");
        refs.push("（来源：国家统计局）数据显示持平");
        let (kept, dropped) = run(&refs);
        assert_eq!(
            kept[..4],
            [
                "第0段正文（来源：东营新闻网）继续。",
                "第1段正文（来源：东营新闻网）继续。",
                "第2段正文继续。",
                "第3段正文继续。"
            ]
        );
        // A data citation is not a watermark, however often it appears.
        assert!(
            kept[4..]
                .iter()
                .all(|l| l.starts_with("（来源：国家统计局）")),
            "{kept:?}"
        );
        assert_eq!(dropped.len(), 1); // 本文来自东营新闻网: a disclaimer line on its own
    }

    #[test]
    fn watermark_counting_is_bounded_and_skips_english() {
        let mut state = BoilerplateState::new(rules());
        let mut out = Vec::new();
        for n in 0..1000u64 {
            state.push(line(n + 1, &format!("网站 site{n}.com 的说明")), &mut out);
        }
        assert_eq!(state.watermarks.len(), MAX_WATERMARK_PHRASES);
        let (kept, _) = run(&[
            "See example.com.",
            "See example.com.",
            "See example.com.",
            "See example.com.",
        ]);
        assert!(kept.iter().all(|l| l == "See example.com."));
    }

    #[test]
    fn a_cited_service_is_not_a_watermark_however_often() {
        // A Chinese manual that mentions the same hosts in paragraph after paragraph, some in
        // English lines: a service's host and an English sentence's domain both stay.
        let mut texts = Vec::new();
        for _ in 0..5 {
            texts.push("必须向 release.debian.org 伪软件包提交一个过渡错误报告。");
            texts.push("If you use the Debian packaging repository (salsa.debian.org), push.");
            texts.push("See example.com for the details.");
            texts.push("网站 example.com.cn 的说明");
        }
        let (kept, dropped) = run(&texts);
        assert!(dropped.is_empty(), "{dropped:?}");
        assert_eq!(kept[..8], texts[..8]);
        // A site's own front door under a country domain is still counted and removed.
        assert_eq!(kept[15], "网站 的说明");
    }

    #[test]
    fn pieces_of_a_long_line_are_never_dropped() {
        let mut state = BoilerplateState::new(rules());
        let mut out = Vec::new();
        state.push(line(1, PROSE), &mut out);
        let mut piece = line(2, "很长的一行");
        piece.ending = LineEnding::Continued;
        state.push(piece, &mut out);
        state.push(line(2, "参考资料"), &mut out);
        state.finish(&mut out);
        assert!(out.iter().all(|v| matches!(v, Verdict::Keep(_))));
    }

    /// Every string a piece of a pattern can match, when there are few (`[Pp][Oo]`, `上一(?:篇|页)`).
    fn exact_strings(hir: &Hir) -> Option<Vec<String>> {
        const MAX_STRINGS: usize = 1024;
        let strings = match hir.kind() {
            HirKind::Empty | HirKind::Look(_) => vec![String::new()],
            HirKind::Literal(literal) => vec![String::from_utf8(literal.0.to_vec()).ok()?],
            HirKind::Class(Class::Unicode(class)) => {
                let chars = class.ranges().iter().map(|r| r.len()).sum::<usize>();
                if chars > 16 {
                    return None;
                }
                let all = class.ranges().iter().flat_map(|r| r.start()..=r.end());
                all.map(String::from).collect()
            }
            HirKind::Class(Class::Bytes(_)) => return None,
            HirKind::Capture(capture) => exact_strings(&capture.sub)?,
            HirKind::Repetition(repetition) => match (repetition.min, repetition.max) {
                (1, Some(1)) => exact_strings(&repetition.sub)?,
                (0, Some(1)) => {
                    let mut strings = exact_strings(&repetition.sub)?;
                    strings.push(String::new());
                    strings
                }
                _ => return None,
            },
            HirKind::Concat(parts) => concat_strings(parts)?,
            HirKind::Alternation(branches) => {
                let mut strings = Vec::new();
                for branch in branches {
                    strings.extend(exact_strings(branch)?);
                }
                strings
            }
        };
        (strings.len() <= MAX_STRINGS).then_some(strings)
    }

    fn concat_strings(parts: &[Hir]) -> Option<Vec<String>> {
        let mut strings = vec![String::new()];
        for part in parts {
            let next = exact_strings(part)?;
            if strings.len() * next.len() > 1024 {
                return None;
            }
            strings = strings
                .iter()
                .flat_map(|a| next.iter().map(move |b| format!("{a}{b}")))
                .collect();
        }
        Some(strings)
    }

    /// Whether every string `hir` matches contains one of `group` (ASCII case ignored): a
    /// conservative reading of the pattern, which may answer no for a pattern that does need
    /// the group, never yes for one that does not.
    fn needs_one_of(hir: &Hir, group: &[&str]) -> bool {
        let has_one = |text: &String| {
            let text = text.to_ascii_lowercase();
            group
                .iter()
                .any(|needed| text.contains(&needed.to_ascii_lowercase()))
        };
        if exact_strings(hir).is_some_and(|strings| strings.iter().all(has_one)) {
            return true;
        }
        match hir.kind() {
            HirKind::Capture(capture) => needs_one_of(&capture.sub, group),
            HirKind::Repetition(repetition) => {
                repetition.min >= 1 && needs_one_of(&repetition.sub, group)
            }
            HirKind::Alternation(branches) => {
                branches.iter().all(|branch| needs_one_of(branch, group))
            }
            HirKind::Concat(parts) => {
                parts.iter().any(|part| needs_one_of(part, group))
                    || (0..parts.len()).any(|start| {
                        (start + 2..=parts.len()).any(|end| {
                            concat_strings(&parts[start..end])
                                .is_some_and(|strings| strings.iter().all(has_one))
                        })
                    })
            }
            _ => false,
        }
    }

    #[test]
    fn every_pattern_needs_its_triggers() {
        for pattern in FURNITURE.iter().chain(FOOTER) {
            let hir = regex_syntax::parse(pattern.regex).unwrap();
            for group in pattern.needs {
                assert!(
                    needs_one_of(&hir, group),
                    "{} can match without any of {group:?}",
                    pattern.regex
                );
            }
        }
        let source_note = regex_syntax::parse(SOURCE_NOTE).unwrap();
        for group in SOURCE_NOTE_NEEDS {
            assert!(
                needs_one_of(&source_note, group),
                "SOURCE_NOTE can match without any of {group:?}"
            );
        }
        // A multi-field byline needs two fields, and so two colons.
        assert!(needs_one_of(
            &regex_syntax::parse(&byline_field_pattern()).unwrap(),
            COLON
        ));
        // The proof itself: it does not take a pattern for needing what it can do without.
        for (regex, group) in [
            (r"(?i)posted", &["post"][..]),
            (r"a?b", &["ab"]),
            (r"(?:上一篇|下一页)\s*x", &["上一篇"]),
            (r"\d{4}", &["1"]),
            (r"x*y", &["x"]),
        ] {
            assert!(
                !needs_one_of(&regex_syntax::parse(regex).unwrap(), group),
                "{regex} {group:?}"
            );
        }
    }

    #[test]
    fn triggers_let_through_every_line_a_pattern_matches() {
        let rules = rules();
        // Every pattern has examples here, so every pattern is tried on a line it matches.
        for (set, patterns) in [(&rules.furniture, FURNITURE), (&rules.footer, FOOTER)] {
            for (index, pattern) in patterns.iter().enumerate() {
                assert!(
                    FURNITURE_LINES
                        .iter()
                        .any(|line| set.regex(index).is_match(line)),
                    "no example of {}",
                    pattern.regex
                );
            }
        }
        for line in gate_corpus() {
            let core = line.trim();
            if core.is_empty() {
                continue;
            }
            let found = rules.triggers.find(core);
            for set in [&rules.furniture, &rules.footer] {
                let ungated =
                    (0..set.patterns.len()).find(|&index| set.regex(index).is_match(core));
                assert_eq!(set.first_match(core, found), ungated, "{core:?}");
            }
        }
    }

    /// Furniture lines, at least one for each built-in pattern, in several spellings.
    const FURNITURE_LINES: &[&str] = &[
        "上一篇：东营市召开疫情防控工作会议",
        "【上一篇】",
        "← 下一章 目录",
        "下一篇",
        "上一篇 下一篇",
        "« Previous Post",
        "Next post: How we built it",
        "OLDER POSTS",
        "责任编辑：张三",
        "【责任编辑：李四】",
        "编辑：赵六",
        "（审核：王五）",
        "（编辑 王五）",
        "[责编 李四]",
        "来源：新华网",
        "来源:大众网",
        "【原文链接：http://example.com/a】",
        "发布时间：2020-01-01",
        "发布时间：2020-01-28 10:32:05",
        "（更新日期：2021年3月1日）",
        "发布于 2020年1月1日",
        "更新于2020-01-01 10:00",
        "Published: 12 March 2021",
        "Last updated on 2021-03-12",
        "UPDATED 12/03/2021",
        "Poſted: 12 March 2021",
        "Posted by admin on January 1, 2020",
        "poſted on May 3 2020 by admin",
        "POSTED BY ADMIN",
        "当前位置：首页 > 新闻 > 正文",
        "您的位置：首页>新闻中心>国内新闻",
        "【现在位置】首页",
        "位置：首页 > 新闻",
        "导航：网站首页",
        "首页 > 新闻 > 正文",
        "Home › World › Asia",
        "网站首页 / 新闻",
        "分享到：微信 微博 QQ空间",
        "分享到：",
        "一键分享",
        "分享：微信 | 微博",
        "Share this:",
        "Share Tweet Email",
        "SHARE: Facebook",
        "ſhare this",
        "扫一扫，关注我们",
        "扫描二维码关注东营发布",
        "长按识别二维码",
        "微信扫码关注",
        "关注我们",
        "欢迎关注本站！",
        "关注东营发布微信公众号，获取更多资讯。",
        "请关注东营发布公众号",
        "【免责声明】",
        "免责声明：本文仅代表作者个人观点，与本站无关。",
        "版权声明：本文为原创",
        "本文来源于网络，如有侵权请联系删除",
        "图片来源于网络",
        "本文转载自东营日报",
        "此文来自新华网",
        "转载请注明出处",
        "本文为东营日报原创",
        "版权归原作者所有",
        "未经授权，禁止转载",
        "未经许可不得复制",
        "如有侵权请联系删除",
        "若涉及侵权，请告知",
        "本文仅代表作者个人观点",
        "以上内容只代表个人看法",
        "本文仅供参考",
        "内容不构成投资建议",
        "展开剩余85%",
        "剩余 12 ％",
        "标签：新闻",
        "TAGS: news",
        "Tag: x",
        "Copyright © 2020 xxx All Rights Reserved",
        "COPYRIGHT (c) 2019 Example",
        "© 2021 Example Media",
        "©Copyright Example",
        "Example Inc. all rights reserved.",
        "ALL RIGHTS RESERVED",
        "版权所有 ©东营日报社",
        "版权所有",
        "东营日报社 版权所有：张三",
        "版权所有(C)东营日报",
        "版权所有，未经许可不得转载。",
        "版权所有 侵权必究",
        "东营日报社版权所有",
        "京ICP备12345678号",
        "京ICP证000007号",
        "ICP备案号：京ICP备12345678号-1",
        "京公网安备 11010502030000号",
        "公网安备：1101050203000011",
        "作者：张三 来源：新华网 时间：2020-01-01",
        "来源：东营日报 作者：李四 浏览次数：1234",
        "【作者：王五】【时间：2020-01-01】",
        "点赞 收藏 评论",
        "阅读 1234",
        "阅读(10万+) 评论(3)",
        "【打印】【关闭】",
        "12万+ 阅读",
        "字号：大 中 小",
        "首页 | 新闻 | 体育 | 娱乐 | 联系我们",
        "关于我们丨联系我们丨网站地图",
        "Home | About | Contact",
        "疫情就是命令，www.dyxw.com防控就是责任。",
        "党员干部冲锋在前（www.dyxw.com），守护群众安全。",
        "第1段正文（来源：东营新闻网）继续。",
        "本文来自东营新闻网",
        "本文首发于东营新闻网",
    ];

    /// Lines to try the gates on: the fixtures (clean text, adversarial text, the seed),
    /// [`FURNITURE_LINES`], and the built-in phrases, bare and decorated.
    fn gate_corpus() -> &'static [String] {
        static CORPUS: OnceLock<Vec<String>> = OnceLock::new();
        CORPUS.get_or_init(|| {
            let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
            let mut lines: Vec<String> = Vec::new();
            for dir in ["clean", "adversarial", "seed"] {
                let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
                    continue;
                };
                for entry in entries {
                    let path = entry.unwrap().path();
                    if path.extension().is_some_and(|ext| ext == "txt") {
                        let text = std::fs::read_to_string(&path).unwrap();
                        lines.extend(text.lines().map(str::to_string));
                    }
                }
            }
            lines.extend(FURNITURE_LINES.iter().map(|line| line.to_string()));
            let sections = [
                "headings",
                "prompts",
                "tool words",
                "nav words",
                "share words",
            ];
            for phrase in sections.into_iter().flat_map(builtin_phrases) {
                for decorated in [
                    phrase.to_string(),
                    phrase.to_ascii_uppercase(),
                    format!("【{phrase}】："),
                    format!("▼ {phrase} …"),
                    format!("{phrase} 123"),
                    format!("| {phrase} | 首页 | {phrase}"),
                ] {
                    lines.push(decorated);
                }
            }
            lines
        })
    }

    /// Every trigger string occurring in `text`, by a plain search for each.
    fn plain_find(triggers: &Triggers, text: &str) -> u128 {
        let text = text.to_ascii_lowercase();
        triggers
            .heads
            .iter()
            .filter(|head| text.contains(&head.string.to_ascii_lowercase()))
            .fold(0, |found, head| found | 1 << head.bit)
    }

    #[test]
    fn triggers_find_what_a_plain_search_finds() {
        for triggers in [&rules().triggers, &rules().anywhere.triggers] {
            find_what_a_plain_search_finds(triggers);
        }
    }

    fn find_what_a_plain_search_finds(triggers: &Triggers) {
        for line in gate_corpus() {
            assert_eq!(triggers.find(line), plain_find(triggers, line), "{line:?}");
        }
        // Each string, in any ASCII case, at either end, after and before characters of every
        // width.
        for head in &triggers.heads {
            let string = &head.string;
            let mixed: String = string
                .chars()
                .enumerate()
                .map(|(i, c)| {
                    if i % 2 == 0 {
                        c.to_ascii_uppercase()
                    } else {
                        c
                    }
                })
                .collect();
            for spelling in [string.clone(), string.to_ascii_uppercase(), mixed] {
                for before in ["", "a", "é", "中", "𠀀", "【 "] {
                    for after in ["", "z", "é", "文", "𠀀", "。"] {
                        let line = format!("{before}{spelling}{after}");
                        let found = triggers.find(&line);
                        assert_ne!(found & 1 << head.bit, 0, "{string:?} not found in {line:?}");
                        assert_eq!(found, plain_find(triggers, &line), "{line:?}");
                    }
                }
            }
        }
        assert_eq!(triggers.find(""), 0);
        // No trigger string holds whitespace, so a line and its trimmed core have the same.
        assert!(triggers
            .heads
            .iter()
            .all(|head| !head.string.contains(char::is_whitespace)));
    }

    /// A line without trigger strings is taken by no check but the phrase checks: the
    /// furniture and footer patterns, the navigation bar and the multi-field byline all need
    /// one (so `classify` stops early on such a line).
    #[test]
    fn only_phrase_checks_take_a_line_without_trigger_strings() {
        let rules = rules();
        let mut taken_with_strings = 0;
        for line in gate_corpus() {
            let core = line.trim();
            if core.is_empty() {
                continue;
            }
            assert_eq!(rules.furniture.first_match(core, 0), None, "{core:?}");
            assert_eq!(rules.footer.first_match(core, 0), None, "{core:?}");
            assert!(!rules.may_be_multi_field_byline(core, 0), "{core:?}");
            let found = rules.triggers.find(core);
            taken_with_strings += usize::from(
                rules.may_be_multi_field_byline(core, found) && rules.is_multi_field_byline(core)
                    || rules.footer.first_match(core, found).is_some(),
            );
        }
        // The corpus has lines those checks take, given their strings.
        assert!(taken_with_strings > 0);
    }

    /// The quick search of [`Anywhere`] says what its character-by-character search says, on
    /// lines short and long, and lets through every string in every ASCII case wherever it is.
    #[test]
    fn anywhere_lets_through_every_line_with_one_of_its_strings() {
        let anywhere = &rules().anywhere;
        let long = |line: &str| {
            format!("这是一个足够长的句子，只为填满一次SIMD搜索的宽度。{line}这里也是一样的内容。")
        };
        let says_as_triggers = |line: &str| {
            assert_eq!(
                anywhere.occurs_in(line),
                anywhere.triggers.find(line) != 0,
                "{line:?}"
            );
        };
        let mut long_with_one = 0;
        for line in gate_corpus() {
            says_as_triggers(line);
            let line = long(line);
            assert!(line.len() >= anywhere.prefixes.minimum_len());
            says_as_triggers(&line);
            long_with_one += usize::from(anywhere.triggers.find(&line) != 0);
        }
        assert!(long_with_one > 0);
        for head in &anywhere.triggers.heads {
            let string = &head.string;
            // Every ASCII case of the first three bytes (all the prefix search looks at).
            let (start, rest) = string.split_at(string.len().min(3));
            for start in ascii_case_variants(start.as_bytes()) {
                let start = String::from_utf8(start).unwrap();
                for spelling in [
                    format!("{start}{rest}"),
                    format!("{start}{}", rest.to_ascii_uppercase()),
                ] {
                    for line in [
                        spelling.clone(),
                        long(&spelling),
                        format!("{}{spelling}", long("")),
                    ] {
                        assert!(
                            anywhere.occurs_in(&line),
                            "{string:?} not found in {line:?}"
                        );
                    }
                }
            }
        }
        assert!(!anywhere.occurs_in(""));
        assert!(!anywhere.occurs_in(&long("")));
    }

    /// The first `n` characters of every match of `hir` (all of a shorter match), or None
    /// when they are too many to list.
    fn openings_of(hir: &Hir, n: usize) -> Option<BTreeSet<String>> {
        const MAX_OPENINGS: usize = 4096;
        let openings: BTreeSet<String> = match hir.kind() {
            HirKind::Empty | HirKind::Look(_) => [String::new()].into(),
            HirKind::Literal(literal) => [std::str::from_utf8(&literal.0)
                .ok()?
                .chars()
                .take(n)
                .collect()]
            .into(),
            HirKind::Class(Class::Unicode(class)) => {
                if class.ranges().iter().map(|r| r.len()).sum::<usize>() > 256 {
                    return None;
                }
                let all = class.ranges().iter().flat_map(|r| r.start()..=r.end());
                all.map(|c| String::from(c).chars().take(n).collect())
                    .collect()
            }
            HirKind::Class(Class::Bytes(_)) => return None,
            HirKind::Capture(capture) => openings_of(&capture.sub, n)?,
            HirKind::Repetition(repetition) => {
                // Past n copies, more copies change no opening (a copy that may be empty
                // only adds the openings of fewer copies).
                let one = openings_of(&repetition.sub, n)?;
                let most = n as u32 + 1;
                let low = repetition.min.min(most);
                let high = repetition.max.map_or(most, |max| max.min(most)).max(low);
                let mut copies: BTreeSet<String> = [String::new()].into();
                let mut openings = BTreeSet::new();
                for count in 0..=high {
                    if count >= low {
                        openings.extend(copies.iter().cloned());
                    }
                    copies = followed_by(&copies, &one, n);
                }
                openings
            }
            HirKind::Concat(parts) => {
                let mut openings: BTreeSet<String> = [String::new()].into();
                for part in parts {
                    if openings.iter().all(|opening| opening.chars().count() >= n) {
                        break;
                    }
                    openings = followed_by(&openings, &openings_of(part, n)?, n);
                }
                openings
            }
            HirKind::Alternation(branches) => {
                let mut openings = BTreeSet::new();
                for branch in branches {
                    openings.extend(openings_of(branch, n)?);
                }
                openings
            }
        };
        (openings.len() <= MAX_OPENINGS).then_some(openings)
    }

    /// Each of `heads` followed by each of `tails`, cut to `n` characters. A head shorter than
    /// `n` is a whole match; one of `n` is only its opening and stays as it is.
    fn followed_by(
        heads: &BTreeSet<String>,
        tails: &BTreeSet<String>,
        n: usize,
    ) -> BTreeSet<String> {
        let mut joined = BTreeSet::new();
        for head in heads {
            if head.chars().count() >= n {
                joined.insert(head.clone());
                continue;
            }
            for tail in tails {
                joined.insert(format!("{head}{tail}").chars().take(n).collect());
            }
        }
        joined
    }

    /// Whether every line `regex` matches, once trimmed, opens with one of `openings` as
    /// [`Openings::may_open`] reads them.
    fn opens_as_said(regex: &str, openings: &[&str]) -> bool {
        let hir = regex_syntax::parse(regex).unwrap();
        let gate = Openings::new(openings.iter().copied());
        let one_char = |c: char| gate.pairs.contains(&(c.to_ascii_lowercase(), None));
        hir.properties().look_set_prefix().contains(HirLook::Start)
            && openings_of(&hir, 2).is_some_and(|found| {
                found.iter().all(|opening| {
                    let mut chars = opening.chars();
                    match (chars.next(), chars.next()) {
                        // The empty line is no line to check.
                        (None, _) => false,
                        // A trimmed line starts with no whitespace.
                        (Some(first), _) if first.is_whitespace() => true,
                        // A whole match of one character may go on with anything after it.
                        (Some(first), None) => one_char(first),
                        (Some(first), second) => gate.may_open(first, second),
                    }
                })
            })
    }

    #[test]
    fn every_anchored_pattern_opens_as_it_says() {
        for pattern in FURNITURE.iter().chain(FOOTER) {
            if let Some(openings) = pattern.starts {
                assert!(
                    opens_as_said(pattern.regex, openings),
                    "{} may open otherwise than with {openings:?}",
                    pattern.regex
                );
            }
        }
        // The proof itself: it does not take a pattern for opening as it does not.
        for (regex, openings) in [
            ("^a?b", &["b"][..]),
            ("a", &["a"]),
            ("^a?", &["a"]),
            ("^(?i)s", &["s"]),
            ("^[【(]?\\s*上一", &["【", "上一"]),
            ("^(?:x|.)", &["x"]),
            ("^上下", &["上一"]),
            ("^x", &["xy"]),
            ("^x{0,3}y", &["xx", "y"]),
            ("^(?:ab|c)+d", &["ab", "cc", "cd"]),
        ] {
            assert!(!opens_as_said(regex, openings), "{regex} {openings:?}");
        }
        for (regex, openings) in [
            ("^(?i)s", &["s", "ſ"][..]),
            ("^[【(]?\\s*上一", &["【", "(", "上一"]),
            ("^(?i)share", &["sh", "ſh"]),
            ("^上下", &["上"]),
            ("^x{0,3}y", &["xx", "xy", "y"]),
            ("^(?:ab|c)+d", &["ab", "ca", "cc", "cd"]),
            ("^\\s*x{2,}", &["xx"]),
        ] {
            assert!(opens_as_said(regex, openings), "{regex} {openings:?}");
        }
    }

    #[test]
    fn gates_let_through_every_line_their_check_takes() {
        let rules = rules();
        let mut scratch = String::new();
        let keys: HashSet<&String> = rules.headings.iter().chain(&rules.prompts).collect();
        let mut examples = [0usize; 6];
        for line in gate_corpus() {
            let core = line.trim();
            if core.is_empty() {
                continue;
            }
            let found = rules.triggers.find(core);
            squeeze(core, &mut scratch);
            if keys.contains(&scratch) {
                examples[0] += 1;
                assert!(rules.heading_ends.may_be_key_of(core), "{core:?}");
            }
            if rules.is_nav_bar(core, &mut scratch) {
                examples[1] += 1;
                assert_ne!(found & rules.pipe_bits, 0, "{core:?}");
            }
            if rules.page_tools(core, &mut scratch).is_some() {
                examples[2] += 1;
                assert!(rules.may_be_page_tools(core), "{core:?}");
            }
            if rules.is_multi_field_byline(core) {
                examples[3] += 1;
                assert!(rules.may_be_multi_field_byline(core, found), "{core:?}");
            }
            if rules.source_note.get().is_match(line) {
                examples[4] += 1;
                assert!(has_all(found, &rules.source_note_needs), "{core:?}");
            }
            if rules.domain.get().is_match(line) {
                examples[5] += 1;
                assert!(has_dotted_name(line), "{line:?}");
            }
            let body = core.trim_end_matches(['。', '！', '？']);
            assert_eq!(
                has_inner_sentence_end(core),
                body.contains(['。', '！', '？']),
                "{core:?}"
            );
        }
        // Each gate has been tried on lines its check takes.
        assert!(examples.iter().all(|&count| count > 0), "{examples:?}");
    }

    /// What `look` gives in place of the plain look: the trigger strings.
    fn full_look(rules: &Boilerplate, text: &str) -> Look {
        Look::Triggers(rules.triggers.find(text))
    }

    #[test]
    fn look_holds_what_every_check_starts_with_or_needs() {
        let rules = rules();
        for pattern in FURNITURE.iter().chain(FOOTER) {
            match pattern.starts {
                Some(openings) => {
                    for opening in openings {
                        for opening in [opening.to_string(), opening.to_ascii_uppercase()] {
                            let line = format!("{opening}x");
                            assert!(rules.may_open_pattern(&line), "{}", pattern.regex);
                            if opening.chars().count() == 1 {
                                assert!(rules.may_open_pattern(&opening), "{}", pattern.regex);
                            }
                        }
                    }
                }
                None => assert!(
                    pattern.needs[0].iter().all(|string| rules
                        .anywhere
                        .triggers
                        .heads
                        .iter()
                        .any(|h| h.string == *string)),
                    "{}",
                    pattern.regex
                ),
            }
        }
        for name in BYLINE_FIELDS {
            assert!(rules.may_open_pattern(name), "{name}");
        }
        for c in "【[（(".chars() {
            assert!(rules.may_open_pattern(&format!("{c}x")), "{c}");
        }
        let phrase_firsts = rules
            .heading_ends
            .first
            .iter()
            .chain(&rules.tool_word_starts);
        for &c in phrase_firsts {
            for c in [c, c.to_ascii_uppercase()] {
                assert!(rules.may_start_phrase(c), "{c}");
            }
        }
        for c in ('0'..='9').chain(['大', '中', '小', '【', '|', '：', '，', '·']) {
            assert!(rules.may_start_phrase(c), "{c}");
        }
        let anywhere = |string: &str| {
            rules
                .anywhere
                .triggers
                .heads
                .iter()
                .any(|h| h.string == string)
        };
        assert!(PIPES.iter().all(|pipe| anywhere(&pipe.to_string())));
        assert!(SOURCE_WORDS.iter().all(|word| anywhere(word)));
        assert!(SOURCE_TRIGGERS
            .iter()
            .all(|word| SOURCE_WORDS.contains(word)));
        // A plain line starts with none of these, a line of phrases with none but the last.
        for (line, look) in [
            ("他在文章末尾列出了参考资料。", Look::Plain),
            ("打开APP阅读全文", Look::Phrases),
            ("来源：新华网", full_look(rules, "来源：新华网")),
            (
                "正文www.dyxw.com正文",
                full_look(rules, "正文www.dyxw.com正文"),
            ),
            (
                "正文（本文首发于东营网）",
                full_look(rules, "正文（本文首发于东营网）"),
            ),
            ("东营日报社版权所有", full_look(rules, "东营日报社版权所有")),
        ] {
            assert_eq!(rules.look(line), look, "{line:?}");
        }
    }

    #[test]
    fn look_lets_through_every_line_a_check_takes() {
        let rules = rules();
        let mut scratch = String::new();
        let mut looks = [0usize; 3];
        let watermark_lines = [
            "疫情就是命令，www.dyxw.com防控就是责任。",
            "第1段正文（来源：东营新闻网）继续。",
            "本文首发于东营新闻网.",
            "www.dyxw.com",
        ];
        for line in gate_corpus()
            .iter()
            .map(String::as_str)
            .chain(watermark_lines)
        {
            let look = rules.look(line);
            let full = full_look(rules, line);
            looks[match look {
                Look::Plain => 0,
                Look::Phrases => 1,
                Look::Triggers(_) => 2,
            }] += 1;
            if let Look::Triggers(_) = look {
                assert_eq!(look, full, "{line:?}");
                continue;
            }
            let quick = rules.classify(line, Some(look), &mut scratch);
            let exact = rules.classify(line, Some(full), &mut scratch);
            assert_eq!(format!("{quick:?}"), format!("{exact:?}"), "{line:?}");
            if look == Look::Plain {
                assert!(matches!(exact, Kind::Blank | Kind::Content), "{line:?}");
            }
            // Neither holds a watermark, whatever the document has seen.
            for seen_before in [0, WATERMARK_MIN_REPEATS] {
                let (mut chinese, mut spans) = (true, Vec::new());
                let mut seen = HashMap::new();
                for _ in 0..=seen_before {
                    rules.find_watermarks(line, full, &mut chinese, &mut seen, &mut spans);
                }
                assert!(spans.is_empty() && seen.is_empty(), "{line:?}");
            }
        }
        // Each kind of look has been tried.
        assert!(looks.iter().all(|&count| count > 0), "{looks:?}");
    }

    /// [`run_with`] through [`BoilerplateState::pass_borrowed`] and
    /// [`BoilerplateState::place`]: the same verdicts in the same order.
    #[test]
    fn lines_passed_borrowed_end_as_pushed_lines() {
        let rules = rules();
        let mut documents: Vec<Vec<String>> = vec![
            seed_lines(),
            FURNITURE_LINES
                .iter()
                .map(|line| line.to_string())
                .collect(),
        ];
        let watermarked = "疫情就是命令，www.dyxw.com防控就是责任。";
        documents.push(
            [
                "正文第一段。",
                watermarked,
                watermarked,
                watermarked,
                "www.dyxw.com",
            ]
            .iter()
            .map(|line| line.to_string())
            .collect(),
        );
        for lines in documents {
            let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
            let mut state = BoilerplateState::new(rules);
            let mut out = Vec::new();
            let mut kept_at_once = Vec::new();
            for (i, text) in lines.iter().enumerate() {
                let class = (i % 2 == 0).then(|| rules.preclassify(text));
                match state.pass_borrowed(text, LineEnding::Lf, class) {
                    Ok(()) => kept_at_once.push(i + 1),
                    Err(judged) => state.place(line(i as u64 + 1, text), judged, &mut out),
                }
            }
            state.finish(&mut out);
            let mut kept = Vec::new();
            let mut dropped = Vec::new();
            let mut verdicts = out.into_iter().peekable();
            for (i, text) in lines.iter().enumerate() {
                if kept_at_once.contains(&(i + 1)) {
                    kept.push(text.to_string());
                    continue;
                }
                match verdicts.next().expect("a verdict for every line") {
                    Verdict::Keep(l) => {
                        assert_eq!(l.number, i as u64 + 1);
                        kept.push(l.text)
                    }
                    Verdict::Drop(l, change) => {
                        assert_eq!(l.number, i as u64 + 1);
                        dropped.push((l.text, change.reason.into_owned()))
                    }
                }
            }
            assert!(verdicts.peek().is_none());
            assert_eq!((kept, dropped), run_with(rules, &lines), "{lines:?}");
        }
    }
}
