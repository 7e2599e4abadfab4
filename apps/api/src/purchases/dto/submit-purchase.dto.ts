import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches, ValidateIf } from 'class-validator';

export const PURCHASE_STORES = ['app_store', 'google_play'] as const;
export type PurchaseStore = (typeof PURCHASE_STORES)[number];
export const GOOGLE_PURCHASE_TYPES = ['product', 'subscription'] as const;

/** A StoreKit 2 JWS is a few kilobytes; a Play purchase token a few hundred characters. */
export const SIGNED_TRANSACTION_MAX_LENGTH = 16_384;
export const PURCHASE_TOKEN_MAX_LENGTH = 4096;
export const PRODUCT_ID_MAX_LENGTH = 150;

/**
 * The receipt the app got from its store. Which fields are required depends on
 * `store`; the other store's fields are refused by the service (they would be
 * ignored, which hides a client bug).
 */
export class SubmitPurchaseDto {
  @ApiProperty({ enum: PURCHASE_STORES, example: 'app_store' })
  @IsIn(PURCHASE_STORES)
  store: PurchaseStore;

  @ApiPropertyOptional({
    description: 'App Store: the JWS StoreKit 2 hands the app for the transaction (or its bare transaction id).',
    maxLength: SIGNED_TRANSACTION_MAX_LENGTH,
  })
  @ValidateIf((body: SubmitPurchaseDto) => body.store === 'app_store' || body.signedTransaction !== undefined)
  @IsString()
  @Length(1, SIGNED_TRANSACTION_MAX_LENGTH)
  signedTransaction?: string;

  @ApiPropertyOptional({ description: 'Google Play: the product id (the SKU) bought.', maxLength: PRODUCT_ID_MAX_LENGTH, example: 'season_pass' })
  @ValidateIf((body: SubmitPurchaseDto) => body.store === 'google_play' || body.productId !== undefined)
  @IsString()
  @Length(1, PRODUCT_ID_MAX_LENGTH)
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { message: 'productId must be letters, digits, ".", "_" or "-"' })
  productId?: string;

  @ApiPropertyOptional({ description: 'Google Play: the purchase token.', maxLength: PURCHASE_TOKEN_MAX_LENGTH })
  @ValidateIf((body: SubmitPurchaseDto) => body.store === 'google_play' || body.purchaseToken !== undefined)
  @IsString()
  @Length(1, PURCHASE_TOKEN_MAX_LENGTH)
  @Matches(/^[A-Za-z0-9._~+/=-]+$/, { message: 'purchaseToken has characters a purchase token does not' })
  purchaseToken?: string;

  @ApiPropertyOptional({ enum: GOOGLE_PURCHASE_TYPES, description: "Google Play: a one-time product (default) or a subscription." })
  @IsOptional()
  @IsIn(GOOGLE_PURCHASE_TYPES)
  type?: (typeof GOOGLE_PURCHASE_TYPES)[number];
}
