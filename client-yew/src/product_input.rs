//! The product dialog's values turned into the server's request, checked first so the
//! user hears about a missing field at once.

use api_types::{ProductDto, ProductRequest};

use crate::form::FormError;
use crate::{money, text};

/// What the dialog's inputs hold, as typed.
pub struct ProductInput<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub base_price: &'a str,
    /// Empty: the base price is the floor.
    pub min_price: &'a str,
    pub workflow_type: &'a str,
    pub status: &'a str,
}

impl ProductInput<'_> {
    pub fn request(&self) -> Result<ProductRequest, FormError> {
        if self.code.trim().is_empty() {
            return Err(FormError::field("code", text::PRODUCT_CODE_REQUIRED));
        }
        if self.name.trim().is_empty() {
            return Err(FormError::field("name", text::PRODUCT_NAME_REQUIRED));
        }
        let base_price = money::parse(self.base_price)
            .ok_or_else(|| FormError::field("base_price", text::AMOUNT_INVALID))?;
        let min_price = match self.min_price.trim() {
            "" => None,
            typed => Some(
                money::parse(typed)
                    .ok_or_else(|| FormError::field("min_price", text::AMOUNT_INVALID))?,
            ),
        };
        if min_price.is_some_and(|floor| floor > base_price) {
            return Err(FormError::field("min_price", text::FLOOR_ABOVE_BASE));
        }
        let optional = |value: &str| Some(value.trim().to_owned()).filter(|v| !v.is_empty());
        Ok(ProductRequest {
            code: self.code.trim().to_owned(),
            name: self.name.trim().to_owned(),
            description: optional(self.description),
            base_price,
            min_price,
            workflow_type: optional(self.workflow_type),
            status: Some(self.status.to_owned()),
        })
    }
}

/// The request that keeps a product as it is but stops selling it.
pub fn stopped(product: &ProductDto) -> ProductRequest {
    ProductRequest {
        code: product.code.clone(),
        name: product.name.clone(),
        description: product.description.clone(),
        base_price: product.base_price,
        min_price: product.min_price,
        workflow_type: product.workflow_type.clone(),
        status: Some("stopped".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input<'a>(base_price: &'a str, min_price: &'a str) -> ProductInput<'a> {
        ProductInput {
            code: " GPKD ",
            name: "Giấy phép kinh doanh",
            description: "",
            base_price,
            min_price,
            workflow_type: " ",
            status: "selling",
        }
    }

    #[test]
    fn prices_are_read_with_their_dots() {
        let Ok(request) = input("1.500.000", "1.200.000").request() else {
            panic!("a complete product is accepted");
        };
        assert_eq!(request.code, "GPKD");
        assert_eq!(request.base_price, 1_500_000);
        assert_eq!(request.min_price, Some(1_200_000));
        assert_eq!(request.workflow_type, None);
        assert_eq!(request.status.as_deref(), Some("selling"));
        let Ok(no_floor) = input("1500000", "").request() else {
            panic!("the floor is optional");
        };
        assert_eq!(no_floor.min_price, None);
    }

    #[test]
    fn bad_prices_are_named_before_sending() {
        let field = |i: ProductInput<'_>| i.request().err().and_then(|e| e.field);
        assert_eq!(field(input("", "")), Some("base_price"));
        assert_eq!(field(input("1,5", "")), Some("base_price"));
        assert_eq!(field(input("1.000.000", "abc")), Some("min_price"));
        assert_eq!(field(input("1.000.000", "1.000.001")), Some("min_price"));
    }
}
