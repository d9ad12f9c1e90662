//! Issuing passes and drawing their QR codes (scans are decided in `scan.rs`).

use chrono::{DateTime, Utc};
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel, Set,
};

use crate::access::session::CurrentUser;
use crate::domain::pass::{self, PassClaims, PassKind};
use crate::error::AppError;
use crate::model::{self, booking};
use crate::state::PassKeyRing;

/// Create the signed pass of a new booking (inside the booking transaction).
pub async fn issue_booking_pass<C: ConnectionTrait>(
    db: &C,
    keys: &PassKeyRing,
    b: &booking::Model,
    center_id: i32,
    now: DateTime<Utc>,
) -> Result<model::pass::Model, AppError> {
    issue_pass(
        db,
        keys,
        b.person_id,
        PassLink::Booking(b.id),
        PassKind::Booking,
        center_id,
        (b.starts_at, b.ends_at),
        now,
    )
    .await
}

/// What a pass is tied to besides its holder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PassLink {
    None,
    Booking(i32),
    Club(i32),
    Event(i32),
}

/// Store a pass row, then sign its id and claims into the code.
#[allow(clippy::too_many_arguments)]
pub async fn issue_pass<C: ConnectionTrait>(
    db: &C,
    keys: &PassKeyRing,
    person_id: i32,
    link: PassLink,
    kind: PassKind,
    center_id: i32,
    (valid_from, valid_until): (DateTime<Utc>, DateTime<Utc>),
    now: DateTime<Utc>,
) -> Result<model::pass::Model, AppError> {
    let row = model::pass::ActiveModel {
        person_id: Set(person_id),
        booking_id: Set(match link {
            PassLink::Booking(id) => Some(id),
            _ => None,
        }),
        club_id: Set(match link {
            PassLink::Club(id) => Some(id),
            _ => None,
        }),
        event_id: Set(match link {
            PassLink::Event(id) => Some(id),
            _ => None,
        }),
        kind: Set(kind),
        center_id: Set(center_id),
        valid_from: Set(valid_from),
        valid_until: Set(valid_until),
        key_id: Set(i16::from(keys.key_id)),
        code: Set(String::new()),
        revoked_at: Set(None),
        issued_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let claims = PassClaims {
        key_id: keys.key_id,
        pass_id: u32::try_from(row.id).map_err(|_| AppError::Internal)?,
        holder_id: u32::try_from(person_id).map_err(|_| AppError::Internal)?,
        kind,
        center_id: u32::try_from(center_id).map_err(|_| AppError::Internal)?,
        valid_from,
        valid_until,
    };
    let code = pass::sign(&claims, &keys.signing);
    let mut active = row.into_active_model();
    active.code = Set(code);
    Ok(active.update(db).await?)
}

/// The pass as a PNG image: black modules on white, 10 px each, with the
/// standard quiet zone; big enough to scan from a phone held at arm's length
/// or a printout.
pub fn qr_png(code: &str) -> Result<Vec<u8>, AppError> {
    const SCALE: usize = 10;
    let qr = QrCode::with_error_correction_level(code.as_bytes(), EcLevel::M)
        .map_err(|_| AppError::Internal)?;
    let n = qr.width();
    let colors = qr.to_colors();
    let side = (n + 8) * SCALE;
    let mut pixels = vec![255u8; side * side];
    for (i, c) in colors.iter().enumerate() {
        if *c == qrcode::Color::Dark {
            let (mx, my) = (i % n + 4, i / n + 4);
            for y in my * SCALE..(my + 1) * SCALE {
                pixels[y * side + mx * SCALE..y * side + (mx + 1) * SCALE].fill(0);
            }
        }
    }
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, side as u32, side as u32);
        enc.set_color(png::ColorType::Grayscale);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header().map_err(|_| AppError::Internal)?;
        w.write_image_data(&pixels)
            .map_err(|_| AppError::Internal)?;
    }
    Ok(out)
}

/// A pass's PNG for its holder, or for staff of its center; revoked or
/// other people's passes are not found.
pub async fn pass_png(
    db: &DatabaseConnection,
    user: &CurrentUser,
    pass_id: i32,
) -> Result<Vec<u8>, AppError> {
    let p = model::pass::Entity::find_by_id(pass_id)
        .one(db)
        .await?
        .filter(|p| p.revoked_at.is_none())
        .ok_or(AppError::NotFound)?;
    if p.person_id != user.person_id && !crate::access::staff_covers(db, user, p.center_id).await? {
        return Err(AppError::NotFound);
    }
    qr_png(&p.code)
}

/// The pass code as an SVG QR symbol (alphanumeric mode, medium error
/// correction), sized by the page's CSS.
pub fn qr_svg(code: &str) -> String {
    match QrCode::with_error_correction_level(code.as_bytes(), EcLevel::M) {
        Ok(qr) => qr
            .render::<svg::Color>()
            .min_dimensions(240, 240)
            .quiet_zone(true)
            .dark_color(svg::Color("#000000"))
            .light_color(svg::Color("#ffffff"))
            .build(),
        Err(e) => {
            tracing::error!(error = %e, "QR rendering failed");
            String::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn png_reads_back_as_the_same_code() {
        let code = "OQAEAQAAAQSIAAAAAHAEAAAAADAHEMLLABZD";
        let bytes = qr_png(code).unwrap();
        assert_eq!(&bytes[1..4], b"PNG");
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).unwrap();
        let (w, h) = (info.width as usize, info.height as usize);
        let rgba: Vec<u8> = buf[..w * h]
            .iter()
            .flat_map(|v| [*v, *v, *v, 255])
            .collect();
        assert_eq!(
            crate::domain::qrscan::decode_rgba(w, h, &rgba).as_deref(),
            Some(code)
        );
    }

    #[test]
    fn qr_is_svg() {
        let svg = qr_svg("OQABCDEF234567");
        assert!(svg.contains("<svg"));
    }
}
