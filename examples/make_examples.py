#!/usr/bin/env python3
# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write the example import template from one list of rows, so every form provably holds the same
data: staff.csv (UTF-8) and staff.xlsx (mobiles as numbers, as Excel stores them when typed into a
General cell), and on request the same CSV in GBK with CRLF line ends, as Excel saves a CSV on a
Chinese Windows (not committed: the collection's files are all UTF-8 text with LF line ends).

It also writes sources/: the same six people as each vendor's file shows them (Microsoft 365,
Google Workspace, Tencent Exmail as XLSX, WeCom, DingTalk, Feishu), with the vendors' columns that
a roster has no use for filled in, as they would be.

    python examples/make_examples.py                        # needs openpyxl
    python examples/make_examples.py --gbk /tmp/staff-gbk.csv

The XLSX is made byte-reproducible (fixed timestamps), so re-running this changes nothing.
"""

from __future__ import absolute_import, division, print_function

import argparse
import csv
import io
import os
import re
import zipfile

import openpyxl

HERE = os.path.dirname(os.path.abspath(__file__))
HEADER = (u'工号', u'姓名', u'邮箱', u'部门', u'职务', u'手机', u'别名', u'状态')
# Blank emails are generated (pinyin for Chinese names); the surnames 曾 单 解 区 仇 查 朴 盖 and the
# compound ones (欧阳 司马 诸葛 上官 尉迟 万俟) are the ones a plain pinyin lookup gets wrong.
ROWS = (
    (u'E1001', u'张三', u'zhang.san@example.org', u'总部', u'总经理', u'13800138000', u'ceo', u'在职'),
    (u'E1002', u'李四', u'li.si@example.org', u'总部/销售部', u'销售总监', u'13800138001', u'sales', u'在职'),
    (u'E1003', u'王芳', u'', u'总部/销售部/华南销售', u'销售经理', u'13900139002', u'', u''),
    (u'E1004', u'张伟', u'', u'总部/技术部', u'后端工程师', u'13700137003', u'', u''),
    (u'E1005', u'张伟', u'', u'总部/技术部/运维组', u'运维工程师', u'13700137004', u'', u''),
    (u'E1006', u'欧阳娜娜', u'', u'总部/市场部', u'市场经理', u'13600136005', u'', u''),
    (u'E1007', u'司马光', u'', u'总部/财务部', u'财务总监', u'13600136006', u'', u''),
    (u'E1008', u'诸葛亮', u'', u'技术部', u'首席架构师', u'13500135007', u'', u''),
    (u'E1009', u'上官婉儿', u'', u'总部/人力资源部', u'人事经理', u'13500135008', u'hr、recruit', u''),
    (u'E1010', u'曾志伟', u'', u'销售部', u'销售代表', u'13400134009', u'', u''),
    (u'E1011', u'单田芳', u'', u'市场部', u'文案策划', u'', u'', u''),
    (u'E1012', u'解晓东', u'', u'技术部', u'前端工程师', u'13300133011', u'', u''),
    (u'E1013', u'区志强', u'', u'华南销售', u'销售代表', u'13300133012', u'', u''),
    (u'E1014', u'仇晓燕', u'', u'财务部', u'会计', u'13200132013', u'', u''),
    (u'E1015', u'查良镛', u'', u'市场部', u'内容主编', u'', u'', u''),
    (u'E1016', u'朴志勋', u'', u'技术部', u'测试工程师', u'13100131015', u'', u''),
    (u'E1017', u'盖晓明', u'', u'运维组', u'运维工程师', u'13100131016', u'', u''),
    (u'E1018', u'尉迟恭', u'', u'总部/行政部', u'安保主管', u'13000130017', u'', u''),
    (u'E1019', u'万俟雪', u'', u'人力资源部', u'招聘专员', u'13000130018', u'', u''),
    (u'E1020', u'José Müller', u'', u'总部/海外事业部', u'海外业务经理', u'+49 30 1234567', u'', u''),
    (u'E1021', u'Anna Schmidt', u'Anna.Schmidt@example.org', u'海外事业部', u'Business Analyst', u'+49 30 7654321',
     u'', u''),
    (u'E1022', u'John Smith', u'', u'海外事业部', u'Sales Engineer', u'+1 415 555 0100', u'', u''),
    (u'E1023', u'迪丽热巴·迪力木拉提', u'', u'市场部', u'品牌专员', u'15900159023', u'', u''),
    (u'E1024', u'陈静', u'chen.jing@example.org', u'财务部', u'出纳', u'15800158024', u'', u''),
    (u'E1025', u'刘洋', u'', u'技术部', u'实习生', u'', u'', u'停用'),
    (u'E1026', u'黄磊', u'huang.lei@example.org', u'销售部', u'销售代表', u'15700157026', u'', u'离职'),
    (u'E1027', u'周杰', u'', u'行政部', u'行政助理', u'15600156027', u'', u''),
    (u'E1028', u'吴敏', u'', u'华南销售', u'销售代表', u'15500155028', u'', u''),
    (u'E1029', u'徐明', u'xu.ming@example.org', u'运维组', u'运维主管', u'15300153029', u'ops', u'在职'),
    (u'E1030', u'孙丽\u3000', u'', u'人力资源部', u'薪酬专员', u'15200152030', u'', u''),
    (u'E1031', u'马超', u'', u'技术部', u'数据工程师', u'15100151031', u'', u''),
    (u'E1032', u'朱琳', u'', u'市场部', u'视觉设计师', u'15000150032', u'', u''),
    (u'E1033', u'Maria García', u'', u'海外事业部', u'Marketing Manager', u'+34 91 123 4567', u'', u''),
    (u'E1034', u'林晓', u'lin.xiao@example.org', u'财务部', u'财务分析师', u'18900189034', u'', u''),
)
# Anything reproducible will do: the date only has to stay the same between runs.
FIXED_DATE = (2024, 1, 1, 0, 0, 0)
FIXED_W3CDTF = '2024-01-01T00:00:00Z'


def csv_text(lineterminator='\n'):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=lineterminator)
    writer.writerow(HEADER)
    writer.writerows(ROWS)
    return out.getvalue()


def write_csv(path, encoding, lineterminator='\n'):
    with open(path, 'wb') as handle:
        handle.write(csv_text(lineterminator).encode(encoding))


def write_xlsx(name):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = u'员工名单'
    sheet.append(HEADER)
    mobile = HEADER.index(u'手机')
    for row in ROWS:
        cells = list(row)
        if cells[mobile].isdigit():
            cells[mobile] = float(cells[mobile])  # Excel keeps a typed number as a float
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    _reproducible_zip(buffer.getvalue(), os.path.join(HERE, name))


# The people of the vendor examples: (email, family name, given name, department path, title,
# employee id, mobile, state). 刘洋 is suspended where a format can say so.
PEOPLE = (
    (u'zhang.san@example.org', u'张', u'三', u'总部', u'总经理', u'E1001', u'13800138000', u'present'),
    (u'li.si@example.org', u'李', u'四', u'总部/销售部', u'销售总监', u'E1002', u'13800138001', u'present'),
    (u'wang.fang@example.org', u'王', u'芳', u'总部/销售部/华南销售', u'销售经理', u'E1003', u'13900139002',
     u'present'),
    (u'ouyang.nana@example.org', u'欧阳', u'娜娜', u'总部/技术部', u'后端工程师', u'E1004', u'13700137003', u'present'),
    (u'john.smith@example.org', u'Smith', u'John', u'总部/海外事业部', u'Sales Engineer', u'E1005', u'+1 415 555 0100',
     u'present'),
    (u'liu.yang@example.org', u'刘', u'洋', u'总部/技术部', u'实习生', u'E1006', u'13600136005', u'disabled'),
)


def _full_name(family, given):
    return family + given if ord(family[0]) > 0x2e80 else u'%s %s' % (given, family)


def _local(email):
    return email.split(u'@')[0]


def m365_rows():
    """Department is flat in Microsoft 365 (no tree); 李四's Display Name is left blank (First and
    Last Name make it)."""
    yield (u'User Name', u'First Name', u'Last Name', u'Display Name', u'Job Title', u'Department', u'Office Number',
           u'Office Phone', u'Mobile Phone', u'Fax', u'Alternate email address', u'Address', u'City',
           u'State or Province', u'ZIP or Postal Code', u'Country or Region')
    for email, family, given, path, title, _eid, mobile, _state in PEOPLE:
        display = u'' if given == u'四' else _full_name(family, given)
        yield (email, given, family, display, title, path.rsplit(u'/', 1)[-1], u'A-%s' % _eid[-3:], u'+86 10 8888 0000',
               mobile, u'', u'%s@personal.example.com' % _local(email), u'1 Example Road', u'Beijing', u'Beijing',
               u'100000', u'China')


def google_rows():
    """Org units are the tree (张三 is at the top unit "/", so Department says where); ``****``
    keeps a password; 刘洋 is Suspended."""
    yield (u'First Name [Required]', u'Last Name [Required]', u'Email Address [Required]', u'Password [Required]',
           u'Password Hash Function [UPLOAD ONLY]', u'Org Unit Path [Required]', u'New Primary Email [UPLOAD ONLY]',
           u'Recovery Email', u'Work Phone', u'Mobile Phone', u'Employee ID', u'Employee Type', u'Employee Title',
           u'Manager Email', u'Department', u'Cost Center', u'Change Password at Next Sign-In',
           u'New Status [UPLOAD ONLY]')
    for email, family, given, path, title, eid, mobile, state in PEOPLE:
        unit = u'/' if path == u'总部' else u'/' + path
        yield (given, family, email, u'****', u'', unit, u'', u'%s@personal.example.com' % _local(email),
               u'+86 10 8888 0000', mobile, eid, u'Full time', title, u'zhang.san@example.org', path.rsplit(u'/', 1)[-1],
               u'CC-01', u'FALSE', u'Suspended' if state == u'disabled' else u'Active')


def exmail_rows():
    """Accounts as local parts, mobiles typed as numbers, 性别 and 生日 filled in, no status column."""
    yield (u'帐号', u'密码', u'编号', u'姓名', u'手机', u'电话', u'所属部门', u'性别', u'职务', u'生日')
    for email, family, given, path, title, eid, mobile, _state in PEOPLE:
        typed = float(mobile) if mobile.isdigit() else mobile  # Excel keeps a typed number as a float
        yield (_local(email), u'', eid, _full_name(family, given), typed, u'010-88880000', path, u'男', title,
               u'1990-01-01')


def wecom_rows():
    """帐号 is the WeCom user id, used only where 企业邮箱 is blank (刘洋); 别名 is a nickname, not a
    mail alias; 李四 is in two departments (the first one counts); no employee id, no status."""
    yield (u'姓名', u'帐号', u'别名', u'职务', u'部门', u'性别', u'手机', u'座机', u'个人邮箱', u'企业邮箱', u'地址',
           u'激活状态')
    for email, family, given, path, title, _eid, mobile, _state in PEOPLE:
        departments = path + (u';总部/市场部' if given == u'四' else u'')
        work = u'' if given == u'洋' else email
        yield (_full_name(family, given), _local(email), u'Tom' if given == u'John' else u'', title, departments,
               u'男', mobile, u'010-88880000', u'%s@personal.example.com' % _local(email), work, u'北京', u'已激活')


def dingtalk_rows():
    yield (u'姓名', u'工号', u'手机号', u'部门', u'职位', u'邮箱', u'性别', u'座机', u'分机号', u'办公地点',
           u'入职时间', u'备注')
    for email, family, given, path, title, eid, mobile, _state in PEOPLE:
        yield (_full_name(family, given), eid, mobile, path, title, email, u'男', u'010-88880000', u'8001', u'北京',
               u'2020-03-01', u'')


def feishu_rows():
    yield (u'姓名', u'用户ID', u'手机号', u'企业邮箱', u'部门', u'职务', u'工号', u'性别', u'员工类型', u'入职日期',
           u'工作城市', u'直属上级')
    for email, family, given, path, title, eid, mobile, _state in PEOPLE:
        yield (_full_name(family, given), u'ou_%s' % eid.lower(), mobile, email, path, title, eid, u'男', u'正式',
               u'2020-03-01', u'北京', u'张三')


SOURCE_EXAMPLES = (
    ('m365-users.csv', m365_rows), ('google-users.csv', google_rows), ('exmail-users.xlsx', exmail_rows),
    ('wecom-contacts.csv', wecom_rows), ('dingtalk-contacts.csv', dingtalk_rows),
    ('feishu-contacts.csv', feishu_rows),
)


def write_sources():
    os.makedirs(os.path.join(HERE, 'sources'), exist_ok=True)
    for name, rows in SOURCE_EXAMPLES:
        path = os.path.join(HERE, 'sources', name)
        if name.endswith('.xlsx'):
            workbook = openpyxl.Workbook()
            sheet = workbook.active
            sheet.title = u'成员列表'
            for row in rows():
                sheet.append(list(row))
            buffer = io.BytesIO()
            workbook.save(buffer)
            _reproducible_zip(buffer.getvalue(), path)
        else:
            out = io.StringIO()
            csv.writer(out, lineterminator='\n').writerows(rows())
            with open(path, 'wb') as handle:
                handle.write(out.getvalue().encode('utf-8'))


def _reproducible_zip(data, path):
    """openpyxl stamps the save time into the archive and docProps/core.xml: fix both."""
    source = zipfile.ZipFile(io.BytesIO(data))
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == 'docProps/core.xml':
                content = re.sub(br'(<dcterms:(created|modified)[^>]*>)[^<]*', br'\g<1>' + FIXED_W3CDTF.encode(),
                                 content)
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_DATE)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, content)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', maxsplit=1)[0])
    parser.add_argument('--gbk', metavar='PATH', help='also write the CSV in GBK with CRLF line ends, as Excel does')
    args = parser.parse_args()
    write_csv(os.path.join(HERE, 'staff.csv'), 'utf-8')
    write_xlsx('staff.xlsx')
    write_sources()
    if args.gbk:
        write_csv(args.gbk, 'gbk', lineterminator='\r\n')  # what Excel writes


if __name__ == '__main__':
    main()
