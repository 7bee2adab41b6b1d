from pydantic import BaseModel


class ProvinceRead(BaseModel):
    code: str
    name: str
    short_name: str


class IndustryRead(BaseModel):
    code: str
    name: str
