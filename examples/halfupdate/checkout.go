// Package halfupdate is the checkout step of a small shop: it charges the
// customer through a payment provider, then records the order in
// PostgreSQL through database/sql. Both calls take the HTTP request's
// context, so a client that closes the tab between them cancels the
// INSERT after the charge went through: the customer paid for an order
// that does not exist. The refund meant to repair that reuses the very
// context that was just cancelled, so it fails too.
//
// asynclint's halfupdate check reports the refund's context and offers
// context.WithoutCancel(ctx); and, in PlaceOrderQuietly, which has no
// refund at all, the INSERT that can be cancelled after Charge
// succeeded. PlaceOrderDetached shows the cure: once the money has
// moved, finish the order on a context the client cannot cancel, with a
// timeout of its own.
package halfupdate

import (
	"context"
	"database/sql"
	"fmt"
	"net/http"
	"time"
)

// Payments is the payment provider's client.
type Payments interface {
	// Charge takes cents from the customer's card and returns the charge ID.
	Charge(ctx context.Context, customerID string, cents int64) (string, error)
	// Refund gives a charge back.
	Refund(ctx context.Context, chargeID string) error
}

// Checkout places orders.
type Checkout struct {
	DB       *sql.DB
	Payments Payments
}

// ServeHTTP handles POST /checkout.
func (c *Checkout) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	err := c.PlaceOrder(r.Context(), r.FormValue("order"), r.FormValue("customer"), 4200)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusCreated)
}

// PlaceOrder charges, then records the order, refunding if the record
// fails. halfupdate: the refund reuses ctx, which may be why the INSERT
// failed.
func (c *Checkout) PlaceOrder(ctx context.Context, orderID, customerID string, cents int64) error {
	chargeID, err := c.Payments.Charge(ctx, customerID, cents)
	if err != nil {
		return fmt.Errorf("charge: %w", err)
	}
	_, err = c.DB.ExecContext(ctx,
		`INSERT INTO orders (id, customer_id, charge_id, cents) VALUES ($1, $2, $3, $4)`,
		orderID, customerID, chargeID, cents)
	if err != nil {
		if rerr := c.Payments.Refund(ctx, chargeID); rerr != nil {
			return fmt.Errorf("record order: %w (refund of %s failed too: %v)", err, chargeID, rerr)
		}
		return fmt.Errorf("record order: %w", err)
	}
	return nil
}

// PlaceOrderQuietly is the same without the refund. halfupdate: the
// INSERT can be cancelled after Charge succeeded.
func (c *Checkout) PlaceOrderQuietly(ctx context.Context, orderID, customerID string, cents int64) error {
	chargeID, err := c.Payments.Charge(ctx, customerID, cents)
	if err != nil {
		return fmt.Errorf("charge: %w", err)
	}
	_, err = c.DB.ExecContext(ctx,
		`INSERT INTO orders (id, customer_id, charge_id, cents) VALUES ($1, $2, $3, $4)`,
		orderID, customerID, chargeID, cents)
	return err
}

// PlaceOrderDetached is the cure: once the charge went through, the
// order is recorded (or the charge refunded) whatever the client does.
func (c *Checkout) PlaceOrderDetached(ctx context.Context, orderID, customerID string, cents int64) error {
	chargeID, err := c.Payments.Charge(ctx, customerID, cents)
	if err != nil {
		return fmt.Errorf("charge: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	_, err = c.DB.ExecContext(ctx,
		`INSERT INTO orders (id, customer_id, charge_id, cents) VALUES ($1, $2, $3, $4)`,
		orderID, customerID, chargeID, cents)
	if err != nil {
		if rerr := c.Payments.Refund(ctx, chargeID); rerr != nil {
			return fmt.Errorf("record order: %w (refund of %s failed too: %v)", err, chargeID, rerr)
		}
		return fmt.Errorf("record order: %w", err)
	}
	return nil
}
