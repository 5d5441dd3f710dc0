//! CSV written page by page into the response body. It starts with a UTF-8 byte-order
//! mark so Excel opens Vietnamese text correctly; amounts are plain integers (VND).

use bytes::Bytes;
use futures_util::{Stream, stream};

use super::{Cell, Column, Row, Source, vietnam_time};

pub fn stream(
    columns: &'static [Column],
    source: impl Source,
) -> impl Stream<Item = Result<Bytes, std::io::Error>> + Send {
    let header: Row = columns.iter().map(|c| Cell::from(c.title)).collect();
    let mut first = b"\xEF\xBB\xBF".to_vec();
    first.extend(encode(&[header]));
    let head = stream::once(async move { Ok(Bytes::from(first)) });
    let pages = stream::unfold(Some(source), |source| async move {
        let mut source = source?;
        match source.next().await {
            Ok(rows) if rows.is_empty() => None,
            Ok(rows) => Some((Ok(Bytes::from(encode(&rows))), Some(source))),
            // The download is cut short; the client sees an incomplete file, the log why.
            Err(err) => {
                tracing::error!(?err, "export page failed");
                Some((Err(std::io::Error::other("export failed")), None))
            }
        }
    });
    futures_util::StreamExt::chain(head, pages)
}

fn encode(rows: &[Row]) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in rows {
        // Writing to a Vec cannot fail.
        let _ = writer.write_record(row.iter().map(text));
    }
    writer.into_inner().unwrap_or_default()
}

fn text(cell: &Cell) -> String {
    match cell {
        Cell::Text(text) => text.clone(),
        Cell::Number(n) | Cell::Money(n) => n.to_string(),
        Cell::Time(at) => vietnam_time(*at),
        Cell::Day(day) => day.format("%d/%m/%Y").to_string(),
        Cell::Empty => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use futures_util::StreamExt;

    use super::*;
    use crate::export::{Rows, column};

    const COLUMNS: &[Column] = &[column("Mã", 10), column("Họ tên", 20), column("Tổng", 12)];

    #[tokio::test]
    async fn quotes_what_needs_it_and_starts_with_a_bom() {
        let rows = vec![vec![
            Cell::from("KH2026-001"),
            Cell::from("Nguyễn \"An\", Hà Nội"),
            Cell::Money(1_500_000),
        ]];
        let chunks: Vec<Bytes> = stream(COLUMNS, Rows(Some(rows)))
            .map(|chunk| chunk.expect("chunk"))
            .collect()
            .await;
        let all: Vec<u8> = chunks.concat();
        assert!(all.starts_with(b"\xEF\xBB\xBF"));
        let text = String::from_utf8(all[3..].to_vec()).expect("utf-8");
        assert_eq!(
            text,
            "Mã,Họ tên,Tổng\nKH2026-001,\"Nguyễn \"\"An\"\", Hà Nội\",1500000\n"
        );
    }
}
