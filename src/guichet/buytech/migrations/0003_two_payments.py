"""Two payments to two payees: the administrative fee to the partner (its own reference, then the order
is forwarded to the vendor), the price to the vendor after its confirmation."""

from django.db import migrations, models

from guichet.core.structured_communication import structured_communication


def split_references(apps, schema_editor):
    """The one reference so far went with the transfer to the partner: it becomes the fee's; the price gets
    its own. Orders the vendor already confirmed had their fee (they were forwarded when reserved)."""
    order_model = apps.get_model("buytech", "BuyTechOrder")
    for order in order_model.objects.all():
        year, value = divmod(order.sequence, 1_000_000)
        order.fee_reference = order.payment_reference
        order.payment_reference = structured_communication(int(f"{year % 100:02d}{value:07d}1"))
        if order.confirmed_at is not None:
            order.fee_paid_at = order.reserved_at
            order.forwarded_on = order.reserved_on
        order.save(update_fields=["fee_reference", "payment_reference", "fee_paid_at", "forwarded_on"])


class Migration(migrations.Migration):
    dependencies = [("buytech", "0002_remove_ordercounter")]

    operations = [
        migrations.AddField(
            model_name="buytechorder",
            name="fee_reference",
            field=models.CharField(
                default="", max_length=24, verbose_name="structured communication for the administrative fee"
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="buytechorder", name="fee_paid_at", field=models.DateTimeField(blank=True, null=True)
        ),
        migrations.AddField(
            model_name="buytechorder",
            name="fee_amount",
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=12, null=True),
        ),
        migrations.AddField(
            model_name="buytechorder",
            name="forwarded_on",
            field=models.DateField(blank=True, null=True, verbose_name="forwarded to the vendor on"),
        ),
        migrations.AlterField(
            model_name="buytechorder",
            name="confirmation_due",
            field=models.DateField(blank=True, null=True, verbose_name="confirmation due"),
        ),
        migrations.AlterField(
            model_name="buytechorder",
            name="payment_reference",
            field=models.CharField(max_length=24, verbose_name="structured communication for the price"),
        ),
        migrations.AlterField(
            model_name="buytechorder",
            name="status",
            field=models.CharField(
                choices=[
                    ("reserved", "Reserved, awaiting the administrative fee"),
                    ("forwarded", "Fee received, forwarded to the vendor"),
                    ("confirmed", "Confirmed by the vendor, awaiting payment"),
                    ("paid", "Paid to the vendor"),
                    ("shipped", "Shipped"),
                    ("delivered", "Delivered"),
                    ("cancelled", "Cancelled"),
                    ("cancelled_by_vendor", "Cancelled by the vendor"),
                ],
                default="reserved",
                max_length=20,
                verbose_name="status",
            ),
        ),
        migrations.RunPython(split_references, migrations.RunPython.noop),
    ]
