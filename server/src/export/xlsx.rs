//! XLSX built with constant-memory worksheets (rows go to a temporary file as they
//! are written), then zipped on a blocking thread.

use rust_xlsxwriter::{Format as CellFormat, Workbook, XlsxError};

use super::{Cell, Column, Source};
use crate::error::ApiError;

/// One sheet holds at most this many rows (Excel's own limit, less the heading).
const MAX_ROWS: u32 = 1_048_575;

pub async fn build(
    columns: &'static [Column],
    mut source: impl Source,
) -> Result<Vec<u8>, ApiError> {
    let failed = |err: XlsxError| ApiError::Internal(anyhow::anyhow!("xlsx: {err}"));
    let mut workbook = Workbook::new();
    let heading = CellFormat::new().set_bold();
    let money = CellFormat::new().set_num_format("#,##0 \"₫\"");
    let time = CellFormat::new().set_num_format("dd/mm/yyyy hh:mm");
    let day = CellFormat::new().set_num_format("dd/mm/yyyy");
    let sheet = workbook
        .add_worksheet_with_constant_memory()
        .map_err(failed)?;
    for (col, column) in (0u16..).zip(columns) {
        sheet
            .write_string_with_format(0, col, column.title, &heading)
            .map_err(failed)?;
        sheet
            .set_column_width(col, f64::from(column.width))
            .map_err(failed)?;
    }
    let mut row_no: u32 = 1;
    loop {
        let rows = source.next().await?;
        if rows.is_empty() {
            break;
        }
        for row in rows {
            if row_no > MAX_ROWS {
                break;
            }
            for (col, cell) in (0u16..).zip(&row) {
                match cell {
                    Cell::Text(text) => sheet.write_string(row_no, col, text).map(drop),
                    Cell::Number(n) => sheet.write_number(row_no, col, *n as f64).map(drop),
                    Cell::Money(n) => sheet
                        .write_number_with_format(row_no, col, *n as f64, &money)
                        .map(drop),
                    Cell::Time(at) => {
                        let local = at
                            .with_timezone(&chrono_tz::Asia::Ho_Chi_Minh)
                            .naive_local();
                        sheet
                            .write_datetime_with_format(row_no, col, local, &time)
                            .map(drop)
                    }
                    Cell::Day(d) => sheet.write_date_with_format(row_no, col, d, &day).map(drop),
                    Cell::Empty => Ok(()),
                }
                .map_err(failed)?;
            }
            row_no += 1;
        }
    }
    tokio::task::spawn_blocking(move || workbook.save_to_buffer())
        .await
        .map_err(|err| ApiError::Internal(anyhow::anyhow!("xlsx task: {err}")))?
        .map_err(failed)
}
