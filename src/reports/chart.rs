//! Charts drawn on the server as SVG: no JavaScript, a title and a description for screen
//! readers, and the table with the same figures next to each chart.

use super::public::Headline;
use crate::kernel::Lang;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Dossiers received per month, stacked by channel (counter, online, post).
pub fn channels_by_month(months: &[Headline], lang: Lang) -> String {
    let width = 640.0_f64;
    let height = 260.0_f64;
    let (left, bottom, top) = (40.0, 40.0, 20.0);
    let plot_h = height - bottom - top;
    let max = months.iter().map(|m| m.received).max().unwrap_or(0).max(1) as f64;
    let slot = (width - left - 10.0) / months.len().max(1) as f64;
    let bar = (slot * 0.6).max(4.0);
    // colours with at least 3:1 contrast against white, told apart by a legend as well
    let colours = ["#1d4f91", "#0b7a3e", "#b35900"];
    let labels = [
        lang.t("reports.col_counter"),
        lang.t("reports.col_online"),
        lang.t("reports.col_post"),
    ];
    let title = escape(&lang.t("statistics.chart_title"));
    let desc = escape(&lang.t("statistics.chart_desc"));
    let mut svg = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {width} {height}\" role=\"img\" \
         aria-labelledby=\"chart-title chart-desc\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"chart-title\">{title}</title><desc id=\"chart-desc\">{desc}</desc>\
         <line x1=\"{left}\" y1=\"{y0}\" x2=\"{x1}\" y2=\"{y0}\" stroke=\"#333\"/>\
         <text x=\"4\" y=\"{ty}\" font-size=\"11\">{max}</text>",
        y0 = height - bottom,
        x1 = width - 10.0,
        ty = top + 4.0,
        max = max as i64,
    );
    for (i, m) in months.iter().enumerate() {
        let x = left + slot * i as f64 + (slot - bar) / 2.0;
        let mut y = height - bottom;
        for (c, value) in [m.counter, m.online, m.post].into_iter().enumerate() {
            if value == 0 {
                continue;
            }
            let h = value as f64 / max * plot_h;
            y -= h;
            svg.push_str(&format!(
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bar:.1}\" height=\"{h:.1}\" fill=\"{}\"><title>{} {}: {value}</title></rect>",
                colours[c],
                escape(&m.name),
                escape(&labels[c]),
            ));
        }
        svg.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\">{}</text>",
            x + bar / 2.0,
            height - bottom + 14.0,
            escape(m.name.split('/').next().unwrap_or_default()),
        ));
    }
    for (c, label) in labels.iter().enumerate() {
        let x = left + 140.0 * c as f64;
        svg.push_str(&format!(
            "<rect x=\"{x}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{}\" y=\"{}\" font-size=\"12\">{}</text>",
            height - 16.0,
            colours[c],
            x + 16.0,
            height - 6.0,
            escape(label),
        ));
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(name: &str, counter: i64, online: i64, post: i64) -> Headline {
        Headline {
            name: name.into(),
            received: counter + online + post,
            counter,
            online,
            post,
            online_share: None,
            postal_share: None,
            on_time_rate: None,
            processed: 0,
        }
    }

    #[test]
    fn bars_are_stacked_by_channel_and_named_for_screen_readers() {
        let svg = channels_by_month(
            &[month("09/2026", 2, 1, 0), month("10/2026", 4, 8, 1)],
            Lang::Vi,
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("<title id=\"chart-title\">"));
        assert!(svg.contains("10/2026 Trực tuyến: 8"));
        // no bar for an empty channel
        assert!(!svg.contains("09/2026 Bưu chính"));
    }
}
