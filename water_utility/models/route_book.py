# This file is part of water_utility.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""The route book: reads of one route typed in the office in walk order,
from a printed route sheet or the reader's notes."""
from collections import defaultdict

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.model.exceptions import AccessError
from trytond.pool import Pool
from trytond.pyson import Bool, Eval, If
from trytond.transaction import Transaction

from .. import registers
from ..exceptions import RouteBookError
from .meter import REGISTERS
from .mixins import Sealed
from .report import DistrictReport
from .route_export import route_rows

_draft = {'readonly': Eval('state') != 'draft'}


class RouteBook(Sealed, Workflow, ModelSQL, ModelView):
    "The reads of one route on one day, entered by hand in walk order"
    __name__ = 'water.route.book'
    _sealed_message = 'water_utility.msg_route_book_delete'
    _workflow_fields = frozenset({'state', 'posted_by', 'exceptions_raised'})

    route = fields.Many2One(
        'water.route', "Route", required=True, ondelete='RESTRICT',
        states=_draft)
    read_date = fields.Date(
        "Read Date", required=True, states=_draft,
        help="The day the route was read.")
    reader = fields.Many2One(
        'company.employee', "Reader", ondelete='RESTRICT', states=_draft,
        help="Who walked the route.")
    lines = fields.One2Many(
        'water.route.book.line', 'book', "Lines", states=_draft)
    entered = fields.Function(
        fields.Integer("Reads Entered"), 'get_counts')
    to_read = fields.Function(
        fields.Integer("Meters to Read"), 'get_counts')
    out_of_range = fields.Function(
        fields.Integer("Out of Range",
            help="Reads entered outside the expected range: check them "
            "before posting."),
        'get_counts')
    exceptions_raised = fields.Integer("Exceptions Raised", readonly=True)
    posted_by = fields.Many2One(
        'res.user', "Posted By", readonly=True, ondelete='RESTRICT')
    state = fields.Selection([
            ('draft', "Draft"),
            ('posted', "Posted"),
            ('cancelled', "Cancelled"),
            ], "State", readonly=True, required=True, sort=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('read_date', 'DESC'), ('id', 'DESC')]
        cls._transitions |= {
            ('draft', 'posted'),
            ('draft', 'cancelled'),
            ('cancelled', 'draft'),
            }
        cls._buttons.update({
                'fill': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'post': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'cancel': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                'draft': {
                    'invisible': Eval('state') != 'cancelled',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def default_state(cls):
        return 'draft'

    @classmethod
    def default_read_date(cls):
        return Pool().get('ir.date').today()

    def get_rec_name(self, name):
        return f'{self.route.rec_name} @ {self.read_date}'

    @classmethod
    def search_rec_name(cls, name, clause):
        return [('route.rec_name', *clause[1:])]

    @classmethod
    def get_counts(cls, books, names):
        result = {n: {} for n in names}
        for book in books:
            values = [l for l in book.lines if l.value is not None]
            counts = {
                'entered': len(values),
                'to_read': len(book.lines) - len(values),
                'out_of_range': sum(1 for l in values if l.is_out_of_range),
                }
            for name in names:
                result[name][book.id] = counts[name]
        return result

    @classmethod
    def on_modification(cls, mode, books, field_names=None):
        super().on_modification(mode, books, field_names=field_names)
        if mode == 'create':
            cls.fill([b for b in books if not b.lines])

    @classmethod
    @ModelView.button
    def fill(cls, books):
        """List the route's installed meters in walk order with their last
        read and expected range; reads already typed are kept."""
        pool = Pool()
        Line = pool.get('water.route.book.line')
        to_delete, to_save = [], []
        for book in books:
            if book.state != 'draft':
                continue
            typed = {(l.meter.id, l.register): l for l in book.lines
                if l.value is not None or l.note}
            to_delete.extend(l for l in book.lines
                if (l.meter.id, l.register) not in typed)
            for row in route_rows([book.route], book.read_date):
                line = typed.pop((row.meter.id, row.register), None)
                if line is None:
                    line = Line(book=book, meter=row.meter,
                        register=row.register)
                line.sequence = row.premise.read_sequence
                line.premise = row.premise
                line.last_read_date = row.last.read_date if row.last else None
                line.last_read = row.last.value if row.last else None
                line.expected_low = row.low
                line.expected_high = row.high
                to_save.append(line)
            # A typed line whose meter left the route stays, to be looked at
        Line.delete(to_delete)
        Line.save(to_save)

    @classmethod
    @ModelView.button
    @Workflow.transition('cancelled')
    def cancel(cls, books):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('draft')
    def draft(cls, books):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('posted')
    def post(cls, books):
        """Create a read for each line with a value and run the read checks:
        suspicious reads go to the exception queue like imported ones."""
        pool = Pool()
        Reading = pool.get('water.meter.reading')
        ReadingException = pool.get('water.meter.reading.exception')
        Line = pool.get('water.route.book.line')
        today = pool.get('ir.date').today()
        # Last reads may have come in since the book was filled.
        cls.fill(books)
        books = cls.browse(books)
        reads, lines = [], []
        for book in books:
            if book.read_date > today:
                raise RouteBookError(gettext(
                        'water_utility.msg_route_book_future',
                        book=book.rec_name))
            entered = [l for l in book.lines if l.value is not None]
            if not entered:
                raise RouteBookError(gettext(
                        'water_utility.msg_route_book_empty',
                        book=book.rec_name))
            for line in entered:
                line.check_read()
                reads.append(Reading(
                        meter=line.meter, register=line.register,
                        read_date=book.read_date, value=line.value,
                        rollover=line.rollover, kind='regular',
                        source='office', leak=line.leak, tamper=line.tamper,
                        notes=line.note))
                lines.append(line)
        Reading.save(reads)
        exceptions = ReadingException.raise_for_reads(reads)
        for line, read in zip(lines, reads):
            line.reading = read
        Line.save(lines)
        book_of = {r.id: l.book.id for r, l in zip(reads, lines)}
        raised = defaultdict(int)
        for exception in exceptions:
            raised[book_of[exception.reading.id]] += 1
        for book in books:
            book.exceptions_raised = raised[book.id]
            book.posted_by = Transaction().user
        cls.save(books)


class RouteBookLine(ModelSQL, ModelView):
    "One meter register of a route book"
    __name__ = 'water.route.book.line'

    book = fields.Many2One(
        'water.route.book', "Route Book", required=True, ondelete='CASCADE')
    sequence = fields.Integer("Read Sequence", readonly=True)
    premise = fields.Many2One(
        'water.premise', "Premise", readonly=True, ondelete='RESTRICT')
    meter = fields.Many2One(
        'water.meter', "Meter", required=True, readonly=True,
        ondelete='RESTRICT')
    register = fields.Selection(
        REGISTERS, "Register", required=True, readonly=True, sort=False)
    dials = fields.Function(fields.Integer("Dials"), 'get_meter_field')
    last_read_date = fields.Date("Last Read Date", readonly=True)
    last_read = fields.Numeric("Last Read", digits=(16, 2), readonly=True)
    expected_low = fields.Numeric(
        "Expected From", digits=(16, 0), readonly=True)
    expected_high = fields.Numeric(
        "Expected To", digits=(16, 0), readonly=True)
    value = fields.Numeric(
        "Read", digits=(16, 2),
        domain=[If(Bool(Eval('value')), ('value', '>=', 0), ())],
        help="The register as read, in the meter's unit; leave empty when "
        "the meter could not be read and say why in the note.")
    rollover = fields.Boolean(
        "Rollover", help="The register passed zero since the last read.")
    leak = fields.Boolean(
        "Leak Seen", help="The leak indicator was turning with no water in "
        "use.")
    tamper = fields.Boolean("Tamper Seen")
    note = fields.Char(
        "Note", help="Why the meter was not read, or what the reader saw.")
    is_out_of_range = fields.Function(
        fields.Boolean("Out of Range"), 'on_change_with_is_out_of_range')
    reading = fields.Many2One(
        'water.meter.reading', "Read Created", readonly=True,
        ondelete='RESTRICT')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.__access__.add('book')
        cls._order = [('book', 'ASC'), ('sequence', 'ASC NULLS LAST'),
            ('id', 'ASC')]

    @classmethod
    def default_rollover(cls):
        return False

    @classmethod
    def default_leak(cls):
        return False

    @classmethod
    def default_tamper(cls):
        return False

    @classmethod
    def view_attributes(cls):
        return super().view_attributes() + [
            ('/tree', 'visual',
                If(Eval('is_out_of_range', False), 'warning', '')),
            ]

    @classmethod
    def check_modification(cls, mode, lines, values=None, external=False):
        super().check_modification(
            mode, lines, values=values, external=external)
        if external:
            for line in lines:
                if line.book.state != 'draft':
                    raise AccessError(gettext(
                            'water_utility.msg_route_book_line_modify',
                            line=line.rec_name, book=line.book.rec_name))

    def get_meter_field(self, name):
        return getattr(self.meter, name)

    def get_rec_name(self, name):
        where = self.premise.rec_name if self.premise else ''
        return f'{self.meter.rec_name} {where}'.strip()

    @fields.depends('value', 'last_read', 'meter', 'rollover')
    def on_change_value(self):
        "A low read at the top of the dials is the register passing zero"
        if (self.value is not None and self.last_read is not None
                and self.meter and self.meter.dials):
            self.rollover = registers.looks_like_rollover(
                self.last_read, self.value, self.meter.dials)

    @fields.depends('value', 'expected_low', 'expected_high', 'last_read',
        'rollover', 'meter')
    def on_change_with_is_out_of_range(self, name=None):
        if self.value is None or self.last_read is None or not self.meter:
            return False
        if self.value < self.last_read and not self.rollover:
            return True
        return not registers.in_expected_range(
            self.last_read, self.value, self.rollover, self.expected_low,
            self.expected_high, self.meter.dials)

    def check_read(self):
        "Refuse a read that cannot be right, naming the line"
        book = self.book
        meter = self.meter
        if not registers.fits_dials(self.value, meter.dials):
            raise RouteBookError(gettext(
                    'water_utility.msg_route_book_dials',
                    line=self.rec_name, book=book.rec_name,
                    value=self.value, dials=meter.dials))
        if self.last_read_date and self.last_read_date >= book.read_date:
            raise RouteBookError(gettext(
                    'water_utility.msg_route_book_already_read',
                    line=self.rec_name, book=book.rec_name,
                    date=self.last_read_date))
        if (self.last_read is not None and self.value < self.last_read
                and not self.rollover):
            raise RouteBookError(gettext(
                    'water_utility.msg_route_book_lower',
                    line=self.rec_name, book=book.rec_name,
                    value=self.value, last=self.last_read,
                    date=self.last_read_date))


class RouteSheet(DistrictReport):
    "The printed route sheet the reader fills in on the walk"
    __name__ = 'water.route.book.sheet'

    @classmethod
    def get_context(cls, records, header, data):
        context = super().get_context(records, header, data)
        context['read_value'] = cls.read_value
        return context

    @classmethod
    def read_value(cls, value):
        "A register value as the dials show it: no decimals unless read"
        if value is None:
            return ''
        digits = 0 if value == value.to_integral_value() else 2
        return cls.format_number(value, None, digits)
